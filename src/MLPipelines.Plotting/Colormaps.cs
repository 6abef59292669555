using MLPipelines.Reports.Plots;
using ScottPlot;

namespace MLPipelines.Plotting;

/// <summary>Maps the spec's colormap names to ScottPlot's colormaps, each running from low to high values.</summary>
internal static class Colormaps
{
    public static IColormap For(HeatmapColormap colormap) => colormap switch
    {
        HeatmapColormap.Viridis => new ScottPlot.Colormaps.Viridis(),
        // ScottPlot's Blues runs dark → light; confusion matrices read best with high counts dark.
        HeatmapColormap.Blues => new ScottPlot.Colormaps.Blues().Reversed(),
        HeatmapColormap.Magma => new ScottPlot.Colormaps.Magma(),
        HeatmapColormap.Inferno => new ScottPlot.Colormaps.Inferno(),
        HeatmapColormap.Turbo => new ScottPlot.Colormaps.Turbo(),
        HeatmapColormap.Grayscale => new ScottPlot.Colormaps.Grayscale(),
        _ => throw new ArgumentException($"Unknown colormap {colormap}."),
    };

    /// <summary>Black on light cells, white on dark ones (perceived luminance).</summary>
    public static Color TextColorOn(Color background) =>
        0.299 * background.Red + 0.587 * background.Green + 0.114 * background.Blue > 140 ? Colors.Black : Colors.White;
}
