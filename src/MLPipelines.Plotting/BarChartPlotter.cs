using System.Globalization;
using MLPipelines.Reports.Plots;
using ScottPlot;

namespace MLPipelines.Plotting;

/// <summary>
/// Draws a <see cref="BarChart"/>: category c is centred at x = c; its bars, one per series, share 80 % of the unit width.
/// </summary>
internal static class BarChartPlotter
{
    private const double GroupWidth = 0.8;

    public static void Draw(Plot plot, BarChart chart, PixelSize size)
    {
        int seriesCount = chart.Series.Count;
        double barWidth = GroupWidth / seriesCount;
        for (int s = 0; s < seriesCount; s++)
        {
            var series = chart.Series[s];
            var color = PlotTheme.Palette.GetColor(s);
            var bars = new List<Bar>();
            for (int c = 0; c < chart.Categories.Count; c++)
            {
                double value = series.Values[c];
                if (!double.IsFinite(value))
                    continue;
                double error = series.Errors?[c] ?? 0;
                error = double.IsFinite(error) ? Math.Abs(error) : 0;
                double position = c + (s - (seriesCount - 1) / 2.0) * barWidth;
                if (chart.ShowValues)
                    AddValueLabel(plot, position, value, error, value.ToString(chart.ValueFormat, CultureInfo.InvariantCulture));
                bars.Add(new Bar
                {
                    Position = position,
                    Value = value,
                    Error = error,
                    Size = barWidth * 0.92,
                    FillColor = color,
                    // ScottPlot draws the error bar with the bar's outline pen, so the outline must be visible.
                    LineWidth = 1,
                    LineColor = Colors.Black.WithAlpha(0.75),
                });
            }
            if (bars.Count == 0)
                continue;
            var barPlot = plot.Add.Bars(bars);
            barPlot.LegendText = series.Name;
        }

        CategoryTicks.Set(plot.Axes.Bottom, Enumerable.Range(0, chart.Categories.Count).Select(c => (double)c).ToArray(),
            chart.Categories.ToArray(), size.Width * 0.75f);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        if (chart.YRange is { } range)
            plot.Axes.SetLimitsY(range.Min, range.Max);
        else
            // Bars grow from zero: no margin below it, room above the tallest bar for its value label.
            plot.Axes.Margins(bottom: 0, top: 0.12);
        ChartText.Apply(plot, chart.Title, chart.XLabel, chart.YLabel);
        PlotTheme.PlaceLegend(plot, seriesCount == 1 && string.IsNullOrEmpty(chart.Series[0].Name) ? LegendPlacement.Hidden : chart.Legend);
    }

    /// <summary>
    /// The value just beyond the end of the bar's error bar (ScottPlot's own bar labels sit on the bar end, under the cap).
    /// </summary>
    private static void AddValueLabel(Plot plot, double position, double value, double error, string text)
    {
        bool up = value >= 0;
        var label = plot.Add.Text(text, position, up ? value + error : value - error);
        label.LabelAlignment = up ? Alignment.LowerCenter : Alignment.UpperCenter;
        label.OffsetY = up ? -3 : 3;
        label.LabelFontSize = PlotTheme.TickLabelFontSize - 1;
        label.LabelBackgroundColor = Colors.Transparent;
        label.LabelBorderWidth = 0;
    }
}
