namespace MLPipelines.Evaluation.LabelIssues;

/// <summary>
/// Seeded stratified k-fold assignment for out-of-fold predictions: each class is shuffled with its own seeded generator and
/// dealt round-robin to the folds, so every fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ images of class c, even for small classes.
/// </summary>
public static class StratifiedFolds
{
    /// <summary>The fold (0 … <paramref name="folds"/> − 1) of each item, given its class.</summary>
    public static int[] Assign(IReadOnlyList<int> labels, int folds, int seed)
    {
        if (folds < 2) throw new ArgumentException($"k-fold needs at least 2 folds, not {folds}");
        var fold = new int[labels.Count];
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            new Random(unchecked(seed * 31 + group.Key * 1_000_003)).Shuffle(members);
            for (int r = 0; r < members.Length; r++) fold[members[r]] = r % folds;
        }
        return fold;
    }
}
