namespace MLPipelines.Reports.Plots;

/// <summary>What the host sends the plugin: a figure and the PNG size. <see cref="Contract"/> catches a stale plugin folder.</summary>
internal sealed record PlotRequest(Figure Figure, int Width, int Height, int Contract)
{
    /// <summary>Bump when a spec changes shape, so a plugin built from other sources refuses the request instead of misdrawing.</summary>
    public const int CurrentContract = 1;

    public const int MinSize = 16;
    public const int MaxSize = 16384;
}
