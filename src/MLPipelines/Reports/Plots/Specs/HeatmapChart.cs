namespace MLPipelines.Reports.Plots;

/// <summary>
/// A grid of coloured cells with row and column labels: confusion matrices, activation maps (give several the same
/// <see cref="ValueRange"/> to share a colour scale). Values[r][c] is drawn in row r from the top, column c from the left.
/// NaN cells are drawn grey with no annotation.
/// </summary>
public sealed record HeatmapChart(IReadOnlyList<IReadOnlyList<double>> Values) : Chart
{
    /// <summary>Labels of the rows, top to bottom; row numbers when null.</summary>
    public IReadOnlyList<string>? RowLabels { get; init; }

    /// <summary>Labels of the columns, left to right; column numbers when null.</summary>
    public IReadOnlyList<string>? ColumnLabels { get; init; }

    /// <summary>Axis title under the columns (e.g. "Predicted").</summary>
    public string? XLabel { get; init; }

    /// <summary>Axis title beside the rows (e.g. "Actual").</summary>
    public string? YLabel { get; init; }

    public HeatmapColormap Colormap { get; init; } = HeatmapColormap.Viridis;

    /// <summary>Values mapped to the ends of the colormap; the finite data range when null.</summary>
    public AxisRange? ValueRange { get; init; }

    public CellAnnotation Annotation { get; init; } = CellAnnotation.None;

    /// <summary>.NET format of annotated values; "0" for whole numbers and "0.###" otherwise when null.</summary>
    public string? ValueFormat { get; init; }

    public bool ShowColorBar { get; init; } = true;

    /// <summary>Title of the colour bar.</summary>
    public string? ColorBarLabel { get; init; }

    /// <summary>Copies a rectangular matrix, [row, column].</summary>
    public static HeatmapChart FromMatrix(double[,] values) =>
        new(Enumerable.Range(0, values.GetLength(0))
            .Select(r => (IReadOnlyList<double>)Enumerable.Range(0, values.GetLength(1)).Select(c => values[r, c]).ToArray())
            .ToArray());

    /// <summary>
    /// A confusion matrix: counts[actual, predicted], blue shades, each cell showing its count and the percentage of its
    /// actual class (row) it holds.
    /// </summary>
    public static HeatmapChart ConfusionMatrix(int[,] counts, IReadOnlyList<string> classNames) =>
        FromMatrix(ToDoubles(counts)) with
        {
            RowLabels = classNames,
            ColumnLabels = classNames,
            XLabel = "Predicted",
            YLabel = "Actual",
            Colormap = HeatmapColormap.Blues,
            Annotation = CellAnnotation.ValueAndRowPercent,
            ColorBarLabel = "Count",
        };

    internal int RowCount => Values.Count;
    internal int ColumnCount => Values.Count == 0 ? 0 : Values[0].Count;

    private static double[,] ToDoubles(int[,] counts)
    {
        var values = new double[counts.GetLength(0), counts.GetLength(1)];
        for (int r = 0; r < counts.GetLength(0); r++)
            for (int c = 0; c < counts.GetLength(1); c++)
                values[r, c] = counts[r, c];
        return values;
    }

    internal override void Validate()
    {
        if (Values is null || Values.Count == 0 || Values[0] is null || Values[0].Count == 0)
            throw new ArgumentException($"{Named("Heatmap")} has no cells.");
        for (int r = 1; r < Values.Count; r++)
            if (Values[r] is null || Values[r].Count != ColumnCount)
                throw new ArgumentException(
                    $"{Named("Heatmap")} row {r} has {Values[r]?.Count ?? 0} values but row 0 has {ColumnCount}.");
        if (RowLabels is not null && RowLabels.Count != RowCount)
            throw new ArgumentException($"{Named("Heatmap")} has {RowCount} rows but {RowLabels.Count} row labels.");
        if (ColumnLabels is not null && ColumnLabels.Count != ColumnCount)
            throw new ArgumentException($"{Named("Heatmap")} has {ColumnCount} columns but {ColumnLabels.Count} column labels.");
        ValueRange?.Validate("Value", logScale: false);
    }
}
