namespace MLPipelines.Evaluation.LabelIssues;

/// <summary>
/// Out-of-fold predicted probabilities (what confident learning needs): for each fold, a model fitted on the other folds scores
/// the fold's items, so every item gets exactly one probability vector from a model that never saw it.
/// </summary>
public static class OutOfFoldPredictions
{
    /// <summary>
    /// Runs <paramref name="fitAndScore"/>(fold, training items, held-out items) once per fold of <paramref name="foldOf"/> (as
    /// from <see cref="StratifiedFolds.Assign"/>); it must return one probability vector per held-out item, in order.
    /// Throws when a fold is empty or a returned vector is not a probability distribution over the same classes as the others.
    /// </summary>
    public static float[][] Compute(IReadOnlyList<int> foldOf, int folds,
        Func<int, IReadOnlyList<int>, IReadOnlyList<int>, IReadOnlyList<float[]>> fitAndScore)
    {
        var outOfFold = new float[foldOf.Count][];
        int classes = -1;
        for (int fold = 0; fold < folds; fold++)
        {
            var held = new List<int>();
            var rest = new List<int>();
            for (int i = 0; i < foldOf.Count; i++)
                (foldOf[i] == fold ? held : rest).Add(i);
            if (held.Count == 0 || rest.Count == 0)
                throw new ArgumentException($"fold {fold + 1} of {folds} holds {held.Count} of {foldOf.Count} items; every fold needs some and the others too");
            var probabilities = fitAndScore(fold, rest, held);
            if (probabilities.Count != held.Count)
                throw new InvalidOperationException($"fold {fold + 1}: the model scored {probabilities.Count} items, expected the {held.Count} held-out ones");
            for (int j = 0; j < held.Count; j++)
            {
                var p = probabilities[j];
                if (classes < 0) classes = p.Length;
                double sum = p.Sum(v => (double)v);
                if (p.Length != classes || p.Any(v => !float.IsFinite(v) || v < 0) || Math.Abs(sum - 1) > 1e-3)
                    throw new InvalidOperationException($"fold {fold + 1}: item {held[j]} got [{string.Join(", ", p)}], not a distribution over {classes} classes");
                outOfFold[held[j]] = p;
            }
        }
        for (int i = 0; i < outOfFold.Length; i++)
            if (outOfFold[i] is null)
                throw new ArgumentException($"item {i} is in fold {foldOf[i] + 1}, outside 1 … {folds}");
        return outOfFold;
    }
}
