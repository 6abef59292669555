using MLPipelines.Reports.Plots;
using ScottPlot;

namespace MLPipelines.Plotting;

/// <summary>Draws a <see cref="ClassScatterChart"/>: the decision regions as a pale heatmap, then one point set per class.</summary>
internal static class ClassScatterPlotter
{
    public static void Draw(Plot plot, ClassScatterChart chart)
    {
        int classCount = chart.ClassNames.Count;
        if (chart.Regions is { } regions)
            DrawRegions(plot, regions, classCount);

        for (int k = 0; k < classCount; k++)
        {
            var members = Enumerable.Range(0, chart.X.Count)
                .Where(i => chart.Classes[i] == k && double.IsFinite(chart.X[i]) && double.IsFinite(chart.Y[i]))
                .ToArray();
            if (members.Length == 0)
                continue;
            var points = plot.Add.ScatterPoints(members.Select(i => chart.X[i]).ToArray(), members.Select(i => chart.Y[i]).ToArray(),
                PlotTheme.Palette.GetColor(k));
            points.LegendText = chart.ClassNames[k];
            points.MarkerSize = chart.MarkerSize;
            points.MarkerShape = MarkerShape.FilledCircle;
        }

        if (chart.Regions is { } area)
            plot.Axes.SetLimits(area.XMin, area.XMax, area.YMin, area.YMax);
        ChartText.Apply(plot, chart.Title, chart.XLabel, chart.YLabel);
        PlotTheme.PlaceLegend(plot, chart.Legend);
    }

    private static void DrawRegions(Plot plot, DecisionRegions regions, int classCount)
    {
        int rows = regions.PredictedClass.Count, columns = regions.PredictedClass[0].Count;
        // ScottPlot places a heatmap by its outer rectangle correctly only with at least two rows and two columns, so a
        // single row or column is drawn doubled (same picture). The spec's row 0 is at the bottom (mesh-grid order); a
        // ScottPlot heatmap draws its row 0 at the top.
        int rowRepeat = rows == 1 ? 2 : 1, columnRepeat = columns == 1 ? 2 : 1;
        var intensities = new double[rows * rowRepeat, columns * columnRepeat];
        for (int i = 0; i < intensities.GetLength(0); i++)
            for (int j = 0; j < intensities.GetLength(1); j++)
            {
                int predicted = regions.PredictedClass[rows - 1 - i / rowRepeat][j / columnRepeat];
                intensities[i, j] = predicted < 0 ? double.NaN : predicted;
            }
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = new ClassRegionColormap(classCount);
        heatmap.ManualRange = ClassRegionColormap.RangeFor(classCount);
        heatmap.Rectangle = new CoordinateRect(regions.XMin, regions.XMax, regions.YMin, regions.YMax);
        heatmap.NaNCellColor = Colors.Transparent;
    }
}
