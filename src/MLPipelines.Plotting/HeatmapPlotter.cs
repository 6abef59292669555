using System.Globalization;
using MLPipelines.Reports.Plots;
using ScottPlot;

namespace MLPipelines.Plotting;

/// <summary>
/// Draws a <see cref="HeatmapChart"/> in ScottPlot's default heatmap geometry, the only one that also holds for a single
/// row or column: cell (r, c) is centred at x = c, y = rows − 1 − r (row 0 on top), one unit wide and high.
/// </summary>
internal static class HeatmapPlotter
{
    public static void Draw(Plot plot, HeatmapChart chart, PixelSize size)
    {
        int rows = chart.RowCount, columns = chart.ColumnCount;
        var intensities = new double[rows, columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                intensities[r, c] = chart.Values[r][c];

        var range = ValueRange(chart);
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = Colormaps.For(chart.Colormap);
        heatmap.ManualRange = range;
        heatmap.NaNCellColor = Colors.LightGray;

        if (chart.ShowColorBar)
        {
            var colorBar = plot.Add.ColorBar(heatmap);
            if (!string.IsNullOrEmpty(chart.ColorBarLabel))
                colorBar.Label = chart.ColorBarLabel;
        }
        if (chart.Annotation != CellAnnotation.None)
            Annotate(plot, chart, heatmap.Colormap, range, size);

        var columnLabels = chart.ColumnLabels?.ToArray() ?? Numbers(columns);
        var rowLabels = chart.RowLabels?.ToArray() ?? Numbers(rows);
        CategoryTicks.Set(plot.Axes.Bottom, Enumerable.Range(0, columns).Select(c => (double)c).ToArray(), columnLabels, size.Width * 0.7f);
        CategoryTicks.Set(plot.Axes.Left, Enumerable.Range(0, rows).Select(r => rows - 1.0 - r).ToArray(), rowLabels, size.Height * 0.7f);
        plot.HideGrid();
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
        ChartText.Apply(plot, chart.Title, chart.XLabel, chart.YLabel);
    }

    private static ScottPlot.Range ValueRange(HeatmapChart chart)
    {
        if (chart.ValueRange is { } fixedRange)
            return new ScottPlot.Range(fixedRange.Min, fixedRange.Max);
        var finite = chart.Values.SelectMany(row => row).Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
            return new ScottPlot.Range(0, 1);
        double min = finite.Min(), max = finite.Max();
        // A constant matrix still needs a non-empty range to map colours.
        return min < max ? new ScottPlot.Range(min, max) : new ScottPlot.Range(min - 0.5, max + 0.5);
    }

    private static void Annotate(Plot plot, HeatmapChart chart, IColormap colormap, ScottPlot.Range range, PixelSize size)
    {
        int rows = chart.RowCount, columns = chart.ColumnCount;
        bool twoLines = chart.Annotation == CellAnnotation.ValueAndRowPercent;
        string format = chart.ValueFormat ?? (chart.Values.SelectMany(row => row).Where(double.IsFinite).All(v => v == Math.Round(v)) ? "0" : "0.###");
        // Text scales with the cell: about a quarter of its pixel size (estimated, the data area being ~3/4 of the image).
        float cellPixels = Math.Min(size.Width * 0.7f / columns, size.Height * 0.75f / rows);
        float fontSize = Math.Clamp(cellPixels / (twoLines ? 4.5f : 3.5f), 7, 16);

        for (int r = 0; r < rows; r++)
        {
            double rowTotal = chart.Values[r].Where(double.IsFinite).Sum();
            for (int c = 0; c < columns; c++)
            {
                double value = chart.Values[r][c];
                if (!double.IsFinite(value))
                    continue;
                string percent = rowTotal != 0 ? (value / rowTotal).ToString("0.0%", CultureInfo.InvariantCulture) : "–";
                string valueText = value.ToString(format, CultureInfo.InvariantCulture);
                string text = chart.Annotation switch
                {
                    CellAnnotation.Value => valueText,
                    CellAnnotation.RowPercent => percent,
                    // An empty cell needs no share; leaving it out keeps large matrices readable.
                    _ => value == 0 ? valueText : valueText + "\n" + percent,
                };
                double normalized = Math.Clamp((value - range.Min) / (range.Max - range.Min), 0, 1);
                var label = plot.Add.Text(text, c, rows - 1 - r);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = fontSize;
                label.LabelFontColor = Colormaps.TextColorOn(colormap.GetColor(normalized));
                label.LabelBackgroundColor = Colors.Transparent;
                label.LabelBorderWidth = 0;
            }
        }
    }

    private static string[] Numbers(int count) =>
        Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
}
