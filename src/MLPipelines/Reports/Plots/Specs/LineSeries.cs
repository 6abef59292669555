namespace MLPipelines.Reports.Plots;

/// <summary>
/// One named line of a <see cref="LineChart"/>: points (X[i], Y[i]) and an optional symmetric error per point.
/// Points whose X or Y is NaN or infinite are skipped (a gap, not an error), and so are points a log axis cannot show.
/// </summary>
/// <param name="Name">Legend text; a series with an empty name gets no legend entry.</param>
/// <param name="X">X of each point.</param>
/// <param name="Y">Y of each point, as many as X.</param>
public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>Error per point (same count as Y), drawn as the chart's <see cref="LineChart.ErrorDisplay"/>; NaN means none.</summary>
    public IReadOnlyList<double>? Error { get; init; }

    /// <summary>Overrides <see cref="LineChart.ShowMarkers"/> for this series.</summary>
    public bool? ShowMarkers { get; init; }

    /// <summary>A series over consecutive x values (epochs): Y[i] is drawn at <paramref name="firstX"/> + i.</summary>
    public static LineSeries Indexed(string name, IReadOnlyList<double> y, double firstX = 1) =>
        new(name, Enumerable.Range(0, y.Count).Select(i => firstX + i).ToArray(), y);

    /// <summary>
    /// Mean ± sample standard deviation of repeated runs: <paramref name="runsAtX"/>[i] holds the results measured at
    /// <paramref name="x"/>[i] (one per seed). NaN results are ignored; a point with one result gets no error.
    /// </summary>
    public static LineSeries FromRuns(string name, IReadOnlyList<double> x, IReadOnlyList<IReadOnlyList<double>> runsAtX)
    {
        if (x.Count != runsAtX.Count)
            throw new ArgumentException($"Series '{name}' has {x.Count} x values but results for {runsAtX.Count}.");
        var mean = new double[x.Count];
        var std = new double[x.Count];
        for (int i = 0; i < x.Count; i++)
        {
            var runs = runsAtX[i].Where(double.IsFinite).ToArray();
            mean[i] = runs.Length > 0 ? runs.Average() : double.NaN;
            std[i] = runs.Length > 1 ? Math.Sqrt(runs.Sum(r => (r - mean[i]) * (r - mean[i])) / (runs.Length - 1)) : double.NaN;
        }
        return new LineSeries(name, x, mean) { Error = std };
    }

    internal void Validate()
    {
        if (X is null || Y is null)
            throw new ArgumentException($"Series '{Name}' has no X or no Y values (null).");
        if (X.Count != Y.Count)
            throw new ArgumentException($"Series '{Name}' has {X.Count} x values but {Y.Count} y values.");
        if (Y.Count == 0)
            throw new ArgumentException($"Series '{Name}' is empty.");
        if (Error is null)
            return;
        if (Error.Count != Y.Count)
            throw new ArgumentException($"Series '{Name}' has {Error.Count} error values but {Y.Count} points.");
        for (int i = 0; i < Error.Count; i++)
            if (Error[i] < 0)
                throw new ArgumentException($"Series '{Name}' has a negative error {Error[i]} at point {i}.");
    }
}
