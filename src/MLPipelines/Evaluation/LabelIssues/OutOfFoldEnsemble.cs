namespace MLPipelines.Evaluation.LabelIssues;

/// <summary>
/// Out-of-fold probabilities of several fold models on the <b>same</b> folds, and their per-item average (cleanlab's advice: the
/// best out-of-fold probabilities come from ensembles, most of all of different model families). Because every member scores
/// an item with the model of the item's own fold, the average for an item also comes only from models that never saw it.
/// </summary>
/// <param name="Names">Name of each member, in order.</param>
/// <param name="Members">Each member's out-of-fold probabilities (one vector per item).</param>
/// <param name="Average">Per item, the mean of the members' vectors (a distribution again, renormalized against rounding).</param>
public sealed record OutOfFoldEnsemble(IReadOnlyList<string> Names, IReadOnlyList<float[][]> Members, float[][] Average)
{
    /// <summary>
    /// Runs every member's fit-and-score function (fold, training items, held-out items → one probability vector per held-out
    /// item, as for <see cref="OutOfFoldPredictions.Compute"/>) on the folds of <paramref name="foldOf"/>, then averages.
    /// Throws when there is no member or two members disagree on the number of classes.
    /// </summary>
    public static OutOfFoldEnsemble Compute(IReadOnlyList<int> foldOf, int folds,
        IReadOnlyList<(string Name, Func<int, IReadOnlyList<int>, IReadOnlyList<int>, IReadOnlyList<float[]>> FitAndScore)> members)
    {
        if (members.Count == 0) throw new ArgumentException("an ensemble needs at least one member");
        var outOfFold = members.Select(m => OutOfFoldPredictions.Compute(foldOf, folds, m.FitAndScore)).ToList();
        // One member is its own average, bit for bit (no renormalization rounding).
        var average = outOfFold.Count == 1 ? outOfFold[0] : Mean(outOfFold, [.. members.Select(m => m.Name)]);
        return new OutOfFoldEnsemble([.. members.Select(m => m.Name)], outOfFold, average);
    }

    private static float[][] Mean(IReadOnlyList<float[][]> members, IReadOnlyList<string> names)
    {
        int items = members[0].Length, classes = members[0][0].Length;
        for (int m = 1; m < members.Count; m++)
            if (members[m][0].Length != classes)
                throw new ArgumentException($"fold model '{names[m]}' scores {members[m][0].Length} classes, '{names[0]}' {classes}");
        var average = new float[items][];
        for (int i = 0; i < items; i++)
        {
            var sum = new double[classes];
            foreach (var member in members)
                for (int c = 0; c < classes; c++) sum[c] += member[i][c];
            double total = sum.Sum();
            average[i] = [.. sum.Select(v => (float)(v / total))];
        }
        return average;
    }
}
