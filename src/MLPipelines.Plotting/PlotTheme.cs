using MLPipelines.Reports.Plots;
using ScottPlot;

namespace MLPipelines.Plotting;

/// <summary>The one look every figure shares: font, sizes, series colours.</summary>
internal static class PlotTheme
{
    /// <summary>Series and class colours, in order (matplotlib's tab10, which readers know).</summary>
    public static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    public const float TitleFontSize = 18;
    public const float AxisLabelFontSize = 15;
    public const float TickLabelFontSize = 13;
    public const float LegendFontSize = 13;
    public const float LineWidth = 2;
    public const float MarkerSize = 7;

    /// <summary>A sans-serif font that exists here: ScottPlot's default on Linux resolves to a serif face.</summary>
    public static readonly string FontName = new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Segoe UI" }
        .FirstOrDefault(SkiaSharp.SKFontManager.Default.GetFontFamilies().Contains) ?? Fonts.Sans;

    static PlotTheme() => Fonts.Default = FontName;

    public static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Axes.Title.Label.FontSize = TitleFontSize;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontSize = AxisLabelFontSize;
            axis.TickLabelStyle.FontSize = TickLabelFontSize;
        }
        plot.Legend.FontSize = LegendFontSize;
        plot.Legend.FontName = FontName;
        return plot;
    }

    /// <summary>Applies <paramref name="placement"/>, and hides the legend when no plottable has legend text.</summary>
    public static void PlaceLegend(Plot plot, LegendPlacement placement)
    {
        bool anyItem = plot.Legend.ManualItems.Count > 0
            || plot.GetPlottables().SelectMany(p => p.LegendItems).Any(item => !string.IsNullOrEmpty(item.LabelText));
        if (!anyItem || placement == LegendPlacement.Hidden)
        {
            plot.HideLegend();
            return;
        }
        switch (placement)
        {
            case LegendPlacement.OutsideRight:
                plot.ShowLegend(Edge.Right);
                break;
            case LegendPlacement.UpperLeft:
                plot.ShowLegend(Alignment.UpperLeft);
                break;
            case LegendPlacement.LowerRight:
                plot.ShowLegend(Alignment.LowerRight);
                break;
            case LegendPlacement.LowerLeft:
                plot.ShowLegend(Alignment.LowerLeft);
                break;
            default:
                plot.ShowLegend(Alignment.UpperRight);
                break;
        }
    }
}
