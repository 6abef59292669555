namespace MLPipelines.Evaluation.LabelIssues;

/// <summary>How well a set of flagged examples matches the truly mislabelled ones.</summary>
/// <param name="Flagged">Examples flagged.</param>
/// <param name="Noisy">Examples truly mislabelled.</param>
/// <param name="TruePositives">Flagged and truly mislabelled.</param>
public sealed record DetectionScore(int Flagged, int Noisy, int TruePositives)
{
    /// <summary>TruePositives / Flagged (NaN when nothing is flagged).</summary>
    public double Precision => Flagged == 0 ? double.NaN : (double)TruePositives / Flagged;

    /// <summary>TruePositives / Noisy (NaN when nothing is mislabelled).</summary>
    public double Recall => Noisy == 0 ? double.NaN : (double)TruePositives / Noisy;

    /// <summary>Scores <paramref name="flags"/> against <paramref name="isNoisy"/> (same length).</summary>
    public static DetectionScore Compute(IReadOnlyList<bool> flags, IReadOnlyList<bool> isNoisy)
    {
        if (flags.Count != isNoisy.Count) throw new ArgumentException($"{flags.Count} flags for {isNoisy.Count} examples");
        int flagged = 0, noisy = 0, hits = 0;
        for (int i = 0; i < flags.Count; i++)
        {
            if (flags[i]) flagged++;
            if (isNoisy[i]) noisy++;
            if (flags[i] && isNoisy[i]) hits++;
        }
        return new DetectionScore(flagged, noisy, hits);
    }
}
