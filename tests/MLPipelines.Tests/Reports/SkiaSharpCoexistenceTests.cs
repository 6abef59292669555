using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLPipelines.Reports.Plots;

namespace MLPipelines.Tests.Reports;

/// <summary>
/// ML.NET's image transforms run on SkiaSharp 2.88 in the default load context while ScottPlot runs on SkiaSharp 3 in the
/// plugin's: both managed assemblies and both native libSkiaSharp builds live in one process. These tests show that each
/// side keeps working, in either order.
/// </summary>
public class SkiaSharpCoexistenceTests
{
    private sealed class ImageInput
    {
        public string ImagePath { get; set; } = "";
    }

    private static float[] MlNetPixels(string imagePath)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new ImageInput { ImagePath = imagePath }]);
        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: nameof(ImageInput.ImagePath))
            .Append(ml.Transforms.ResizeImages("Image", 224, 224, resizing: ImageResizingEstimator.ResizingKind.IsoCrop))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image"));
        var transformed = pipeline.Fit(data).Transform(data);
        return transformed.GetColumn<VBuffer<float>>("Pixels").Single().DenseValues().ToArray();
    }

    private static byte[] RenderAPlot() =>
        PlotRenderer.RenderPng(new HeatmapChart([[1, 2], [3, 4]]) { Annotation = CellAnnotation.Value }, 300, 200);

    [Fact]
    public void MlNet_image_pixels_are_identical_before_and_after_plotting()
    {
        string cat = Path.Combine(RepositoryPaths.Shared, "images", "cat.jpg");
        Assert.True(File.Exists(cat), $"missing test image {cat}");

        float[] before = MlNetPixels(cat);
        using (var plotAfterMlNet = RenderedPng.Decode(RenderAPlot()))
            Assert.Equal(300, plotAfterMlNet.Width);
        float[] after = MlNetPixels(cat);
        using (var plotAfterBoth = RenderedPng.Decode(RenderAPlot()))
            Assert.Equal(200, plotAfterBoth.Height);

        Assert.Equal(3 * 224 * 224, before.Length);
        Assert.Contains(before, v => v > 0);
        Assert.Equal(before, after);
    }

    [Fact]
    public void Each_context_has_its_own_SkiaSharp()
    {
        RenderAPlot();

        var skiaByContext = AssemblyLoadContext.All
            .SelectMany(context => context.Assemblies.Select(assembly => (context, assembly)))
            .Where(pair => pair.assembly.GetName().Name == "SkiaSharp")
            .ToDictionary(pair => pair.context.Name ?? "", pair => pair.assembly.GetName().Version!.Major);
        Assert.Equal(3, skiaByContext["MLPipelines.Plotting"]);
        // The default context resolves SkiaSharp from the output root, which must stay on 2.88 for ML.NET.
        Assert.Equal(2, AssemblyName.GetAssemblyName(Path.Combine(AppContext.BaseDirectory, "SkiaSharp.dll")).Version!.Major);
        Assert.Equal(3, AssemblyName.GetAssemblyName(Path.Combine(AppContext.BaseDirectory, "plotting", "SkiaSharp.dll")).Version!.Major);
        Assert.Equal(2, typeof(SkiaSharp.SKBitmap).Assembly.GetName().Version!.Major);
    }

    [Fact]
    public void Both_native_libSkiaSharp_builds_are_mapped_after_plotting_and_decoding()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc/self/maps");
        MlNetPixels(Path.Combine(RepositoryPaths.Shared, "images", "fish.png"));
        RenderAPlot();

        var mapped = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
            .Where(path => Path.GetFileName(path) == "libSkiaSharp.so")
            .Distinct()
            .ToList();

        Assert.Equal(2, mapped.Count);
        Assert.Contains(mapped, path => path.Contains($"{Path.DirectorySeparatorChar}plotting{Path.DirectorySeparatorChar}"));
        Assert.Contains(RuntimeInformation.RuntimeIdentifier, string.Join(" ", mapped));
    }
}
