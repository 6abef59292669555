using MLPipelines.Reports.Plots;
using ScottPlot;

namespace MLPipelines.Plotting;

/// <summary>Draws a <see cref="LineChart"/>: error bands or bars first, lines on top, log axes as log10 coordinates.</summary>
internal static class LineChartPlotter
{
    public static void Draw(Plot plot, LineChart chart)
    {
        for (int s = 0; s < chart.Series.Count; s++)
            DrawSeries(plot, chart, chart.Series[s], PlotTheme.Palette.GetColor(s));

        if (chart.LogX)
            plot.Axes.Bottom.TickGenerator = new LogTickGenerator();
        if (chart.LogY)
            plot.Axes.Left.TickGenerator = new LogTickGenerator();
        if (chart.XRange is { } x)
            plot.Axes.SetLimitsX(ToAxis(x.Min, chart.LogX), ToAxis(x.Max, chart.LogX));
        if (chart.YRange is { } y)
            plot.Axes.SetLimitsY(ToAxis(y.Min, chart.LogY), ToAxis(y.Max, chart.LogY));

        ChartText.Apply(plot, chart.Title, chart.XLabel, chart.YLabel);
        PlotTheme.PlaceLegend(plot, chart.Legend);
    }

    private static void DrawSeries(Plot plot, LineChart chart, LineSeries series, Color color)
    {
        var points = DrawablePoints(chart, series);
        if (points.Count == 0)
            return;
        double[] xs = points.Select(p => ToAxis(p.X, chart.LogX)).ToArray();
        double[] ys = points.Select(p => ToAxis(p.Y, chart.LogY)).ToArray();

        var withError = points.Where(p => p.Error > 0).ToList();
        if (withError.Count > 0)
        {
            // Bounds are computed in data space, then mapped, so a log axis shows the true y ± error.
            double floor = points.Min(p => p.Y);
            double[] ex = withError.Select(p => ToAxis(p.X, chart.LogX)).ToArray();
            double[] upper = withError.Select(p => ToAxis(p.Y + p.Error, chart.LogY)).ToArray();
            double[] lower = withError.Select(p => ToAxis(chart.LogY && p.Y - p.Error <= 0 ? floor : p.Y - p.Error, chart.LogY)).ToArray();
            if (chart.ErrorDisplay == ErrorDisplay.Band)
            {
                var band = plot.Add.FillY(ex, lower, upper);
                band.FillColor = color.WithAlpha(0.2);
                band.LineWidth = 0;
                band.MarkerSize = 0;
            }
            else
            {
                double[] ey = withError.Select(p => ToAxis(p.Y, chart.LogY)).ToArray();
                var bars = new ScottPlot.Plottables.ErrorBar(ex, ey, null, null,
                    ey.Zip(upper, (center, top) => top - center).ToArray(),
                    ey.Zip(lower, (center, bottom) => center - bottom).ToArray())
                {
                    Color = color,
                    LineWidth = 1.5f,
                    CapSize = 6,
                };
                plot.Add.Plottable(bars);
            }
        }

        var line = plot.Add.Scatter(xs, ys, color);
        line.LegendText = series.Name;
        line.LineWidth = PlotTheme.LineWidth;
        line.MarkerSize = series.ShowMarkers ?? chart.ShowMarkers ? PlotTheme.MarkerSize : 0;
    }

    private readonly record struct Point(double X, double Y, double Error);

    /// <summary>The points that can be drawn: finite, and positive on a log axis. NaN errors count as none.</summary>
    private static List<Point> DrawablePoints(LineChart chart, LineSeries series)
    {
        var points = new List<Point>(series.Y.Count);
        for (int i = 0; i < series.Y.Count; i++)
        {
            double x = series.X[i], y = series.Y[i];
            if (!double.IsFinite(x) || !double.IsFinite(y) || (chart.LogX && x <= 0) || (chart.LogY && y <= 0))
                continue;
            double error = series.Error?[i] ?? 0;
            points.Add(new Point(x, y, double.IsFinite(error) ? error : 0));
        }
        return points;
    }

    private static double ToAxis(double value, bool log) => log ? Math.Log10(value) : value;
}
