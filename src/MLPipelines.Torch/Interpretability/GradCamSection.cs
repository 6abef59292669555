using MLPipelines.Imaging;
using MLPipelines.Onnx;
using MLPipelines.Reports;
using MLPipelines.Visualization;

namespace MLPipelines.Torch.Interpretability;

/// <summary>The Grad-CAM part of a <c>visualize</c> report: the map of the top-1 class and of a chosen class over the image.</summary>
public static class GradCamSection
{
    /// <summary>
    /// Computes Grad-CAM on <paramref name="layer"/> (default: the last convolutional block) for the top-1 class and for
    /// <paramref name="chosenClass"/> (name or index; default: the second-ranked class), writes <c>gradcam.png</c> into
    /// <paramref name="folder"/> and returns the section.
    /// </summary>
    public static VisualizationSection Create(DifferentiableClassifier classifier, string modelPath, string imagePath, string folder,
        string? chosenClass = null, string? layer = null)
    {
        layer ??= GradCam.DefaultLayer(OnnxModelFile.Load(modelPath));
        using var pixels = classifier.LoadPixels(imagePath);
        var probabilities = classifier.Probabilities(pixels);
        var ranked = MisclassifiedExamples.TopK(probabilities, 2);
        int chosen = chosenClass is null ? ranked[1] : classifier.ClassIndex(chosenClass);
        var maps = new[] { GradCam.Compute(classifier, pixels, ranked[0], layer), GradCam.Compute(classifier, pixels, chosen, layer) };

        var preprocessing = classifier.Card.Preprocessing;
        var image = HeatmapOverlay.CenterCrop(DifferentiableClassifier.ToImage(pixels), preprocessing.Width, preprocessing.Height);
        var tiles = new List<ExampleGrid.Tile> { new(null, image, ["input (model's view)", ""]) };
        tiles.AddRange(maps.Select((m, i) => new ExampleGrid.Tile(null, HeatmapOverlay.Blend(image, m.Map),
            [$"{(i == 0 ? "top-1" : "chosen")}: {m.ClassName}", ReportFormat.Percent(m.Probability)])));
        ExampleGrid.Write(Path.Combine(folder, "gradcam.png"), tiles, columns: 3, tileSize: 224);
        var (h, w) = maps[0].LayerSize;
        return new VisualizationSection("Grad-CAM",
            $"Class evidence on `{layer}` ({h}×{w} activations, upsampled to {preprocessing.Width}×{preprocessing.Height}) for the top-1 class " +
            $"**{maps[0].ClassName}** and the chosen class **{maps[1].ClassName}**; red is where the gradient-weighted activations are highest.\n\n![Grad-CAM](gradcam.png)");
    }
}
