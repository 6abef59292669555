namespace MLPipelines.Reports.Plots;

/// <summary>
/// The class a model predicts over a regular grid covering [XMin, XMax] × [YMin, YMax], drawn as a pale background.
/// PredictedClass[i][j] is the prediction at the centre of cell (row i, column j), row 0 at the BOTTOM (y = YMin) as in a
/// mesh grid, column 0 at the left (x = XMin). −1 leaves a cell blank.
/// </summary>
public sealed record DecisionRegions(IReadOnlyList<IReadOnlyList<int>> PredictedClass, double XMin, double XMax, double YMin, double YMax)
{
    /// <summary>
    /// Evaluates <paramref name="predict"/> at the centres of a <paramref name="columns"/> × <paramref name="rows"/> grid.
    /// </summary>
    public static DecisionRegions Sample(Func<double, double, int> predict, double xMin, double xMax, double yMin, double yMax,
        int columns = 200, int rows = 200)
    {
        var grid = new IReadOnlyList<int>[rows];
        for (int i = 0; i < rows; i++)
        {
            double y = yMin + (i + 0.5) * (yMax - yMin) / rows;
            var row = new int[columns];
            for (int j = 0; j < columns; j++)
                row[j] = predict(xMin + (j + 0.5) * (xMax - xMin) / columns, y);
            grid[i] = row;
        }
        return new DecisionRegions(grid, xMin, xMax, yMin, yMax);
    }

    internal void Validate(int classCount)
    {
        if (PredictedClass is null || PredictedClass.Count == 0 || PredictedClass[0] is null || PredictedClass[0].Count == 0)
            throw new ArgumentException("Decision regions have an empty grid.");
        int columns = PredictedClass[0].Count;
        for (int i = 0; i < PredictedClass.Count; i++)
        {
            var row = PredictedClass[i];
            if (row is null || row.Count != columns)
                throw new ArgumentException($"Decision region row {i} has {row?.Count ?? 0} cells but row 0 has {columns}.");
            foreach (int predicted in row)
                if (predicted < -1 || predicted >= classCount)
                    throw new ArgumentException(
                        $"Decision region row {i} predicts class {predicted} but there are {classCount} class names.");
        }
        if (!double.IsFinite(XMin) || !double.IsFinite(XMax) || XMin >= XMax || !double.IsFinite(YMin) || !double.IsFinite(YMax) || YMin >= YMax)
            throw new ArgumentException($"Decision regions cover an invalid area x {XMin}..{XMax}, y {YMin}..{YMax}.");
    }
}
