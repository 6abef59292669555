using MLPipelines.Evaluation;
using MLPipelines.Reports.Plots;

namespace MLPipelines.Reports;

/// <summary>The confusion matrix as a heatmap PNG (rows: true class, columns: predicted, cells: counts and row percentages).</summary>
public static class ConfusionMatrixFigure
{
    /// <summary>Writes the heatmap to <paramref name="pngPath"/>; returns true (the signature matches the other report figures).</summary>
    public static bool Write(ClassificationMetrics metrics, IReadOnlyList<string> classes, string pngPath, string title)
    {
        int size = Math.Clamp(140 + 70 * classes.Count, 500, 1400);
        PlotRenderer.Save(HeatmapChart.ConfusionMatrix(metrics.ConfusionMatrix, classes) with { Title = $"{title} (test)" }, pngPath, size + 100, size);
        return true;
    }
}
