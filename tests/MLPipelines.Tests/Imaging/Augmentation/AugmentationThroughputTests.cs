using MLPipelines.Imaging;
using MLPipelines.Imaging.Augmentation;

namespace MLPipelines.Tests.Imaging.Augmentation;

/// <summary>
/// Measures (does not assert) single-thread augmentation throughput on 224×224 PACS images; the figures go to the test
/// output and docs/augmentation.md. What is asserted is that every preset runs on real images and keeps the unit range.
/// </summary>
public class AugmentationThroughputTests
{
    [Fact]
    public void Presets_run_on_real_pacs_images_and_report_images_per_second()
    {
        var images = Directory.GetFiles(RepositoryPaths.PacsCartoon, "*.jpg", SearchOption.AllDirectories).Order().Take(24)
            .Select(path => ImageTensor.Load(path, 224, 224)).ToList();
        foreach (string name in new[] { "reference-pacs", "strong", "light" })
        {
            var spec = AugmentationSpec.Parse(name);
            var result = AugmentationBenchmark.Measure(spec.PerSample, images, TimeSpan.FromSeconds(1.5));
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{name}: {result.PerSecond:F0} images/s wall clock, {result.PerCpuSecond:F0} images per CPU second, one thread (224×224 PACS cartoon)");
            Assert.True(result.Images > 0);
            foreach (var image in images.Take(6))
                KnownImages.AssertInUnitRange(spec.PerSample.Apply(image, new Random(1)));
        }
    }
}
