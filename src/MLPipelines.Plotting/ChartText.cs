using ScottPlot;

namespace MLPipelines.Plotting;

/// <summary>Title and axis titles, set only when given so empty strings take no space.</summary>
internal static class ChartText
{
    public static void Apply(Plot plot, string? title, string? xLabel, string? yLabel)
    {
        if (!string.IsNullOrEmpty(title))
            plot.Title(title, PlotTheme.TitleFontSize);
        if (!string.IsNullOrEmpty(xLabel))
            plot.XLabel(xLabel, PlotTheme.AxisLabelFontSize);
        if (!string.IsNullOrEmpty(yLabel))
            plot.YLabel(yLabel, PlotTheme.AxisLabelFontSize);
    }
}
