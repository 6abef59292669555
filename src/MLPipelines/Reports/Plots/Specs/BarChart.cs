namespace MLPipelines.Reports.Plots;

/// <summary>
/// Bars grouped by category: one bar per series in every category, series told apart by colour and legend
/// (e.g. accuracy per method, grouped by dataset). A single series draws plain bars.
/// </summary>
public sealed record BarChart(IReadOnlyList<string> Categories, IReadOnlyList<BarSeries> Series) : Chart
{
    public string? XLabel { get; init; }
    public string? YLabel { get; init; }

    /// <summary>Fixed value-axis limits; from 0 (or the lowest negative value) to a margin above the tallest bar when null.</summary>
    public AxisRange? YRange { get; init; }

    /// <summary>Write each bar's value above it, formatted with <see cref="ValueFormat"/>.</summary>
    public bool ShowValues { get; init; }

    /// <summary>.NET format of the written values.</summary>
    public string ValueFormat { get; init; } = "0.###";

    /// <summary>Legend placement; hidden anyway for a single unnamed series.</summary>
    public LegendPlacement Legend { get; init; } = LegendPlacement.OutsideRight;

    internal override void Validate()
    {
        if (Categories is null || Categories.Count == 0)
            throw new ArgumentException($"{Named("Bar chart")} has no categories.");
        if (Series is null || Series.Count == 0)
            throw new ArgumentException($"{Named("Bar chart")} has no series.");
        foreach (var series in Series)
        {
            if (series?.Values is null)
                throw new ArgumentException($"{Named("Bar chart")} has a series without values.");
            if (series.Values.Count != Categories.Count)
                throw new ArgumentException(
                    $"Bar series '{series.Name}' has {series.Values.Count} values for {Categories.Count} categories.");
            if (series.Errors is not null && series.Errors.Count != Categories.Count)
                throw new ArgumentException(
                    $"Bar series '{series.Name}' has {series.Errors.Count} errors for {Categories.Count} categories.");
        }
        YRange?.Validate("Y", logScale: false);
    }
}
