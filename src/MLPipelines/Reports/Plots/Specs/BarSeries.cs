namespace MLPipelines.Reports.Plots;

/// <summary>
/// One group member of a <see cref="BarChart"/>: a value per category (e.g. one method's accuracy per dataset), with an
/// optional error bar each. A NaN value leaves its bar out.
/// </summary>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values)
{
    public IReadOnlyList<double>? Errors { get; init; }
}
