using MLPipelines.Evaluation;
using MLPipelines.Pipelines;
using SkiaSharp;

namespace MLPipelines.Reports;

/// <summary>The most confident mistakes of a model on the test split, drawn with the true label and the top-3 predictions.</summary>
public static class MisclassifiedExamples
{
    /// <summary>Writes the grid for <paramref name="result"/>; returns false when the model made no mistake.</summary>
    public static bool Write(MethodResult result, IReadOnlyList<string> classes, string pngPath, int count = 16)
    {
        var mistakes = MostConfident(result.TestImages, result.TestProbabilities, classes, count);
        if (mistakes.Count == 0) return false;
        var tiles = mistakes.Select(m =>
        {
            var image = result.TestImages[m.Index];
            var probabilities = result.TestProbabilities[m.Index];
            var top3 = TopK(probabilities, 3).Select(c => $"{classes[c]} {ReportFormat.Percent(probabilities[c])}");
            return new ExampleGrid.Tile(image.Path, null, [$"true: {image.Label}", .. top3], SKColors.DarkRed);
        }).ToList();
        ExampleGrid.Write(pngPath, tiles, columns: 4, title: $"{result.Method}: most confident mistakes (true label, top-3)");
        return true;
    }

    /// <summary>
    /// The <paramref name="count"/> misclassified images whose wrong prediction is most confident (ties in input order): each
    /// with its index in <paramref name="images"/>, the true class index and the predicted class index.
    /// </summary>
    public static IReadOnlyList<(int Index, int Truth, int Predicted)> MostConfident(IReadOnlyList<Data.LabeledImage> images,
        IReadOnlyList<float[]> probabilities, IReadOnlyList<string> classes, int count)
    {
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        return Enumerable.Range(0, images.Count)
            .Select(i => (Index: i, Truth: classIndex[images[i].Label], Predicted: ClassificationMetrics.ArgMax(probabilities[i])))
            .Where(p => p.Predicted != p.Truth)
            .OrderByDescending(p => probabilities[p.Index][p.Predicted])
            .ThenBy(p => p.Index)
            .Take(count)
            .ToList();
    }

    /// <summary>Indices of the <paramref name="k"/> largest values, largest first.</summary>
    public static int[] TopK(IReadOnlyList<float> values, int k) =>
        Enumerable.Range(0, values.Count).OrderByDescending(i => values[i]).ThenBy(i => i).Take(k).ToArray();
}
