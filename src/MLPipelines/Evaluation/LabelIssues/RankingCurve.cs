namespace MLPipelines.Evaluation.LabelIssues;

/// <summary>
/// The precision-recall curve of a ranking of items by a label quality score (most suspicious first) against the truly
/// mislabelled items: point n is the top n items taken as flags. It measures the ranking; a cut on it chosen with the true labels
/// is not a flag set a user could compute.
/// </summary>
/// <param name="Order">Item indices, most suspicious (lowest score) first, ties by index.</param>
/// <param name="Precision">Precision of the top n + 1 items, for each n.</param>
/// <param name="Recall">Recall of the top n + 1 items, for each n.</param>
public sealed record RankingCurve(int[] Order, double[] Precision, double[] Recall)
{
    /// <summary>Ranks all items of <paramref name="learning"/> by <paramref name="score"/> and scores every cut against <paramref name="isNoisy"/>.</summary>
    public static RankingCurve Compute(ConfidentLearning learning, IReadOnlyList<bool> isNoisy, LabelQualityScore score)
    {
        var order = learning.Rank([.. isNoisy.Select(_ => true)], score);
        int noisy = isNoisy.Count(n => n);
        if (noisy == 0) throw new ArgumentException("no item is mislabelled, so a ranking has no precision-recall curve");
        var precision = new double[order.Length];
        var recall = new double[order.Length];
        int hits = 0;
        for (int n = 0; n < order.Length; n++)
        {
            if (isNoisy[order[n]]) hits++;
            precision[n] = (double)hits / (n + 1);
            recall[n] = (double)hits / noisy;
        }
        return new RankingCurve(order, precision, recall);
    }

    /// <summary>The smallest top-n cut whose recall reaches <paramref name="recall"/> (all items when none does).</summary>
    public int CutAtRecall(double recall)
    {
        int n = Array.FindIndex(Recall, r => r >= recall - 1e-12);
        return n < 0 ? Order.Length : n + 1;
    }

    /// <summary>The highest precision of any cut whose recall is at least <paramref name="recall"/> (NaN when none reaches it).</summary>
    public double BestPrecisionAtRecall(double recall)
    {
        double best = double.NaN;
        for (int n = 0; n < Order.Length; n++)
            if (Recall[n] >= recall - 1e-12 && !(Precision[n] <= best)) best = Precision[n];
        return best;
    }
}
