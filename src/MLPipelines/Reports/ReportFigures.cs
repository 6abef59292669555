using System.Collections.Concurrent;
using MLPipelines.Pipelines;

namespace MLPipelines.Reports;

/// <summary>The PNG figures of a run report, each written once into the run folder; returns relative links.</summary>
internal sealed class ReportFigures(string runFolder)
{
    private readonly ConcurrentDictionary<string, Lazy<string?>> _written = [];

    /// <summary>
    /// Draws every figure the report links (each row's misclassified examples, the best row's confusion matrix) in parallel:
    /// each grid decodes 16 test images and encodes a PNG, a few tenths of a second apiece, which is several seconds for
    /// the rows of a run when drawn one at a time after the last fit.
    /// </summary>
    public void DrawAll(IReadOnlyList<MethodResult> results, MethodResult best, IReadOnlyList<string> classes)
    {
        var figures = results.Select(r => (Action)(() => Misclassified(r, classes))).Append(() => ConfusionMatrix(best, classes));
        Parallel.ForEach(figures, draw => draw());
    }

    /// <summary>The misclassified-examples grid of a method, or null when it made no mistake.</summary>
    public string? Misclassified(MethodResult result, IReadOnlyList<string> classes) =>
        Once($"misclassified-{result.Id}.png", path => MisclassifiedExamples.Write(result, classes, path));

    /// <summary>The confusion-matrix heatmap of a method, or null when no plot renderer is available.</summary>
    public string? ConfusionMatrix(MethodResult result, IReadOnlyList<string> classes) =>
        Once($"confusion-{result.Id}.png", path => ConfusionMatrixFigure.Write(result.Test, classes, path, result.Method));

    private string? Once(string fileName, Func<string, bool> write) =>
        _written.GetOrAdd(fileName, name => new Lazy<string?>(() => write(Path.Combine(runFolder, name)) ? name : null)).Value;
}
