namespace MLPipelines.Evaluation.LabelIssues;

/// <summary>
/// cleanlab's label quality scores (<c>rank.get_label_quality_scores</c> without adjusting the probabilities): low means the
/// given label is likely wrong. <see cref="ConfidentLearning.Rank"/> orders flagged examples by them, most suspicious first.
/// </summary>
public enum LabelQualityScore
{
    /// <summary>p_given − max over the other classes of p_j (cleanlab's <c>'normalized_margin'</c>, in [−1, 1]).</summary>
    NormalizedMargin,

    /// <summary>p_given (cleanlab's <c>'self_confidence'</c>).</summary>
    SelfConfidence,
}

/// <summary>Computes a <see cref="LabelQualityScore"/> for one example.</summary>
public static class LabelQuality
{
    /// <summary>The score of an example with probabilities <paramref name="p"/> and given label <paramref name="given"/>.</summary>
    public static double Score(IReadOnlyList<float> p, int given, LabelQualityScore kind)
    {
        if (kind == LabelQualityScore.SelfConfidence) return p[given];
        double other = double.NegativeInfinity;
        for (int j = 0; j < p.Count; j++)
            if (j != given) other = Math.Max(other, p[j]);
        return p[given] - other;
    }
}
