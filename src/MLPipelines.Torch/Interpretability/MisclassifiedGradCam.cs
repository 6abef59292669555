using MLPipelines.Catalog;
using MLPipelines.Data;
using MLPipelines.Onnx;
using MLPipelines.Reports;
using MLPipelines.Visualization;
using SkiaSharp;

namespace MLPipelines.Torch.Interpretability;

/// <summary>
/// Grad-CAM for a trained network's most confident mistakes on the test split: for each image, where the network saw its
/// (wrong) predicted class and where it saw the true class. Works on the ONNX file a fine-tune run exports (input: [0,1]
/// pixels at the training size, normalization inside the graph, output: logits).
/// </summary>
public static class MisclassifiedGradCam
{
    /// <summary>
    /// Writes a PNG grid for up to <paramref name="count"/> misclassified images (the most confident first) and returns how many
    /// it shows (0 when every test image is right; then no file is written).
    /// </summary>
    public static int Write(string onnxPath, int imageSize, IReadOnlyList<string> classes, IReadOnlyList<LabeledImage> testImages,
        IReadOnlyList<float[]> probabilities, string pngPath, int count = 4)
    {
        var mistakes = MisclassifiedExamples.MostConfident(testImages, probabilities, classes, count);
        if (mistakes.Count == 0) return 0;

        using var classifier = DifferentiableClassifier.Load(TrainedCard(onnxPath, imageSize, classes.Count), onnxPath, classes);
        string layer = GradCam.DefaultLayer(OnnxModelFile.Load(onnxPath));
        var tiles = new List<ExampleGrid.Tile>();
        foreach (var (index, truth, predicted) in mistakes)
        {
            var (image, p) = (testImages[index], probabilities[index]);
            using var pixels = classifier.LoadPixels(image.Path);
            var view = DifferentiableClassifier.ToImage(pixels);
            foreach (var (classIndex, role) in new[] { (predicted, "predicted"), (truth, "true") })
            {
                var map = GradCam.Compute(classifier, pixels, classIndex, layer);
                tiles.Add(new ExampleGrid.Tile(null, HeatmapOverlay.Blend(view, map.Map),
                    [$"{role}: {classes[classIndex]} {ReportFormat.Percent(p[classIndex])}", Path.GetFileName(image.Path)],
                    role == "predicted" ? SKColors.Firebrick : SKColors.SeaGreen));
            }
        }
        ExampleGrid.Write(pngPath, tiles, columns: 4, tileSize: 160,
            title: "Grad-CAM of misclassified test images: predicted class (left) and true class (right)");
        return mistakes.Count;
    }

    // The exported network as a catalog entry: [0,1] RGB pixels at the training size in, logits out, nothing else to do.
    private static ModelCard TrainedCard(string onnxPath, int imageSize, int classCount) => new()
    {
        Name = Path.GetFileNameWithoutExtension(onnxPath),
        Architecture = "trained network",
        File = Path.GetFileName(onnxPath),
        Input = new TensorSpec { Name = ColumnNames.Pixels, Shape = [-1, 3, imageSize, imageSize] },
        Outputs = [new TensorSpec { Name = ColumnNames.Logits, Shape = [-1, classCount], Kind = TensorKind.Logits }],
        Preprocessing = new PreprocessingSpec { Size = [imageSize, imageSize], Mean = [0, 0, 0], Std = [1, 1, 1] },
    };
}
