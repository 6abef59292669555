namespace MLPipelines.Evaluation.LabelIssues;

/// <summary>
/// cleanlab's <c>round_preserving_row_totals</c>: rounds each row of a count matrix to integers (half to even, as numpy) and
/// then moves single units, largest rounding loss first, until the row sums to its rounded original total. Calibrating the
/// confident joint uses it so that row i keeps summing to the n_i examples labelled i.
/// </summary>
internal static class RowTotalRounding
{
    public static int[,] Round(double[,] matrix)
    {
        int rows = matrix.GetLength(0), columns = matrix.GetLength(1);
        var result = new int[rows, columns];
        for (int r = 0; r < rows; r++)
        {
            var values = Enumerable.Range(0, columns).Select(c => matrix[r, c]).ToArray();
            var ints = values.Select(v => Math.Round(v, MidpointRounding.ToEven)).ToArray();
            double target = Math.Round(values.Sum(), MidpointRounding.ToEven);
            while (Math.Abs(ints.Sum() - target) > 1e-6)
            {
                double difference = Math.Round(target - ints.Sum(), MidpointRounding.ToEven);
                int step = difference < 0 ? -1 : 1;
                int changes = Math.Min((int)Math.Abs(difference), columns);
                // cleanlab orders by (value − rounded) descending for both directions; kept as is so the counts match it.
                foreach (int c in Enumerable.Range(0, columns).OrderByDescending(c => values[c] - ints[c]).ThenBy(c => c).Take(changes))
                    ints[c] += step;
            }
            for (int c = 0; c < columns; c++) result[r, c] = (int)ints[c];
        }
        return result;
    }
}
