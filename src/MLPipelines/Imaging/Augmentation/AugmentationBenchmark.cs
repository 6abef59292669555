using System.Diagnostics;

namespace MLPipelines.Imaging.Augmentation;

/// <summary>Single-thread throughput of an augmentation on decoded images, to check it cannot starve a CPU training loop.</summary>
public static class AugmentationBenchmark
{
    /// <summary>
    /// Images per second on one thread: the images are augmented in turn (after one warm-up pass) until at least
    /// <paramref name="minimum"/> has passed. Each image has its own seeded generator, as in training.
    /// </summary>
    public static double ImagesPerSecond(IImageAugmentation augmentation, IReadOnlyList<ImageTensor> images, TimeSpan minimum, int seed = 0)
    {
        if (images.Count == 0) throw new ArgumentException("the benchmark needs at least one image");
        for (int i = 0; i < images.Count; i++)
            augmentation.Apply(images[i], AugmentationPipeline.SeededFor(seed, "warm-up", i));
        var clock = Stopwatch.StartNew();
        int done = 0;
        while (clock.Elapsed < minimum)
        {
            augmentation.Apply(images[done % images.Count], AugmentationPipeline.SeededFor(seed, "benchmark", done));
            done++;
        }
        return done / clock.Elapsed.TotalSeconds;
    }
}
