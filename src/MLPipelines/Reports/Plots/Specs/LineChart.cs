namespace MLPipelines.Reports.Plots;

/// <summary>
/// Lines of (x, y) points, e.g. loss per epoch with one line per learning rate, loss against learning rate (log x), or
/// accuracy against samples per class as mean ± std.
/// </summary>
public sealed record LineChart(IReadOnlyList<LineSeries> Series) : Chart
{
    public string? XLabel { get; init; }
    public string? YLabel { get; init; }

    /// <summary>Log10 x axis; points with x ≤ 0 are skipped.</summary>
    public bool LogX { get; init; }

    /// <summary>Log10 y axis; points with y ≤ 0 are skipped and error bands are clipped at the smallest positive y.</summary>
    public bool LogY { get; init; }

    /// <summary>Fixed x limits; automatic when null.</summary>
    public AxisRange? XRange { get; init; }

    /// <summary>Fixed y limits (e.g. 0..1 for accuracy); automatic when null.</summary>
    public AxisRange? YRange { get; init; }

    public ErrorDisplay ErrorDisplay { get; init; } = ErrorDisplay.Band;

    /// <summary>Draw a marker at every point (useful for few, unevenly spaced points).</summary>
    public bool ShowMarkers { get; init; }

    public LegendPlacement Legend { get; init; } = LegendPlacement.OutsideRight;

    internal override void Validate()
    {
        if (Series is null || Series.Count == 0)
            throw new ArgumentException($"{Named("Line chart")} has no series.");
        foreach (var series in Series)
        {
            if (series is null)
                throw new ArgumentException($"{Named("Line chart")} has a null series.");
            series.Validate();
        }
        XRange?.Validate("X", LogX);
        YRange?.Validate("Y", LogY);
    }
}
