using MLPipelines.Evaluation;

namespace MLPipelines.Reports;

/// <summary>The confusion matrix as a heatmap PNG (rows: true class, columns: predicted, cells: counts and row percentages).</summary>
public static class ConfusionMatrixFigure
{
    /// <summary>Writes the heatmap; returns false when it could not be drawn.</summary>
    public static bool Write(ClassificationMetrics metrics, IReadOnlyList<string> classes, string pngPath, string title)
    {
        // Drawn with the ScottPlot renderer once it is wired in (src/MLPipelines/Reports/Plots).
        return false;
    }
}
