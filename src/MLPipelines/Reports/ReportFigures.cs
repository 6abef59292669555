using MLPipelines.Pipelines;

namespace MLPipelines.Reports;

/// <summary>The PNG figures of a run report, each written once into the run folder; returns relative links.</summary>
internal sealed class ReportFigures(string runFolder)
{
    private readonly Dictionary<string, string?> _written = [];

    /// <summary>The misclassified-examples grid of a method, or null when it made no mistake.</summary>
    public string? Misclassified(MethodResult result, IReadOnlyList<string> classes) =>
        Once($"misclassified-{result.Id}.png", path => MisclassifiedExamples.Write(result, classes, path));

    /// <summary>The confusion-matrix heatmap of a method, or null when no plot renderer is available.</summary>
    public string? ConfusionMatrix(MethodResult result, IReadOnlyList<string> classes) =>
        Once($"confusion-{result.Id}.png", path => ConfusionMatrixFigure.Write(result.Test, classes, path, result.Method));

    private string? Once(string fileName, Func<string, bool> write)
    {
        if (!_written.TryGetValue(fileName, out var link))
        {
            link = write(Path.Combine(runFolder, fileName)) ? fileName : null;
            _written[fileName] = link;
        }
        return link;
    }
}
