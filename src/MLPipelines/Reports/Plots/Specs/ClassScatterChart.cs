namespace MLPipelines.Reports.Plots;

/// <summary>
/// 2-D points coloured by class (Classes[i] indexes ClassNames), optionally over the <see cref="DecisionRegions"/> a model
/// predicts: decision-boundary plots. Points with a NaN or infinite coordinate are skipped.
/// </summary>
public sealed record ClassScatterChart(IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<int> Classes,
    IReadOnlyList<string> ClassNames) : Chart
{
    public string? XLabel { get; init; }
    public string? YLabel { get; init; }
    public DecisionRegions? Regions { get; init; }
    public LegendPlacement Legend { get; init; } = LegendPlacement.OutsideRight;

    /// <summary>Marker diameter in pixels.</summary>
    public float MarkerSize { get; init; } = 7;

    internal override void Validate()
    {
        if (X is null || Y is null || Classes is null || ClassNames is null)
            throw new ArgumentException($"{Named("Scatter")} needs X, Y, Classes and ClassNames (one is null).");
        if (X.Count != Y.Count || X.Count != Classes.Count)
            throw new ArgumentException(
                $"{Named("Scatter")} has {X.Count} x values, {Y.Count} y values and {Classes.Count} classes; all must match.");
        if (ClassNames.Count == 0)
            throw new ArgumentException($"{Named("Scatter")} has no class names.");
        if (X.Count == 0 && Regions is null)
            throw new ArgumentException($"{Named("Scatter")} has no points and no decision regions.");
        for (int i = 0; i < Classes.Count; i++)
            if (Classes[i] < 0 || Classes[i] >= ClassNames.Count)
                throw new ArgumentException(
                    $"{Named("Scatter")} point {i} has class {Classes[i]} but there are {ClassNames.Count} class names.");
        if (!(MarkerSize > 0))
            throw new ArgumentException($"{Named("Scatter")} has marker size {MarkerSize}; it must be positive.");
        Regions?.Validate(ClassNames.Count);
    }
}
