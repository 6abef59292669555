namespace MLPipelines.Experiments.ImbalancedNoisy;

/// <summary>
/// Decides whether a training run diverged from its per-epoch training losses: a NaN or infinite loss, or a final loss more
/// than <see cref="Factor"/> times the loss at the start. A diverged run must be reported as diverged, never as a loss value
/// (a NaN turned into 0 would look like the best rate).
/// </summary>
public sealed record LossDivergence(double Factor = 3.0)
{
    /// <summary>True when the run diverged.</summary>
    public bool IsDiverged(IReadOnlyList<double> epochLosses, double initialLoss)
    {
        if (epochLosses.Count == 0) throw new ArgumentException("no training losses to judge");
        if (!double.IsFinite(initialLoss) || initialLoss <= 0) throw new ArgumentException($"initial loss {initialLoss} must be positive and finite");
        return epochLosses.Any(l => !double.IsFinite(l)) || epochLosses[^1] > Factor * initialLoss;
    }
}
