namespace MLPipelines.Evaluation.LabelIssues;

/// <summary>
/// The reference's baseline: a (second) network's confident disagreements are taken as the true labels. An example whose
/// arg-max class differs from its given label with probability ≥ threshold is relabelled to that class; the rest keep theirs.
/// </summary>
public static class ConfidenceRelabelling
{
    /// <summary>The labels after relabelling (a new array; <paramref name="given"/> is unchanged).</summary>
    public static int[] Relabel(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> given, double threshold)
    {
        if (probabilities.Count != given.Count) throw new ArgumentException($"{probabilities.Count} probability rows for {given.Count} labels");
        var labels = given.ToArray();
        for (int i = 0; i < labels.Length; i++)
        {
            int best = ClassificationMetrics.ArgMax(probabilities[i]);
            if (best != labels[i] && probabilities[i][best] >= threshold) labels[i] = best;
        }
        return labels;
    }
}
