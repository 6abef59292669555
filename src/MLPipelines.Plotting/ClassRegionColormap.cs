using ScottPlot;

namespace MLPipelines.Plotting;

/// <summary>
/// A discrete colormap for a heatmap of class indices 0..count−1 shown over the range [−0.5, count−0.5]: each class gets
/// its palette colour, paled towards white so the class-coloured points on top stay visible.
/// </summary>
internal sealed class ClassRegionColormap(int classCount) : IColormap
{
    public const double Paleness = 0.72;

    public string Name => "Class regions";

    public static ScottPlot.Range RangeFor(int classCount) => new(-0.5, classCount - 0.5);

    public static Color RegionColor(int classIndex) => PlotTheme.Palette.GetColor(classIndex).MixedWith(Colors.White, Paleness);

    public Color GetColor(double normalizedIntensity)
    {
        int classIndex = Math.Clamp((int)Math.Floor(normalizedIntensity * classCount), 0, classCount - 1);
        return RegionColor(classIndex);
    }
}
