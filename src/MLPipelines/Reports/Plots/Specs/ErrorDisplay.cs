namespace MLPipelines.Reports.Plots;

/// <summary>How a line series' per-point error (e.g. the standard deviation over seeds) is drawn.</summary>
public enum ErrorDisplay
{
    /// <summary>A translucent band from y − error to y + error.</summary>
    Band,

    /// <summary>A vertical error bar with caps at each point.</summary>
    Bars,
}
