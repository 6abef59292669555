namespace MLPipelines.Torch.Training;

/// <summary>
/// Tracks the best epoch on a validation metric and decides when to stop: after <c>patience</c> epochs without an improvement
/// of at least <c>minDelta</c>. With accuracy, an epoch that ties the best accuracy but has a lower loss is better (it is not
/// an improvement for patience unless it clears min-delta). Without patience it only tracks the best epoch.
/// </summary>
/// <remarks>
/// With a <c>window</c> above 1 an epoch is judged by the mean of the metric over the last <c>window</c> epochs (fewer at the
/// start): on a validation set of a few dozen images one image is several points of accuracy, and a single lucky epoch early
/// in a schedule otherwise wins the selection (PACS few-shot: 47 validation images).
/// </remarks>
public sealed class EarlyStopping(EarlyStoppingMetric metric, int? patience, double minDelta, int window = 1)
{
    private readonly List<(double Accuracy, double Loss)> _recent = [];

    /// <summary>Best epoch so far (1-based; 0 before the first).</summary>
    public int BestEpoch { get; set; }

    /// <summary>Validation accuracy of the best epoch (the window's mean).</summary>
    public double BestAccuracy { get; set; } = double.NegativeInfinity;

    /// <summary>Validation loss of the best epoch (the window's mean).</summary>
    public double BestLoss { get; set; } = double.PositiveInfinity;

    /// <summary>Epochs since the last improvement.</summary>
    public int EpochsWithoutImprovement { get; set; }

    /// <summary>Records an epoch; returns true when it is the new best (its weights should be kept).</summary>
    public bool Update(int epoch, double validationAccuracy, double validationLoss)
    {
        Remember(validationAccuracy, validationLoss);
        double accuracy = _recent.Average(r => r.Accuracy), loss = _recent.Average(r => r.Loss);
        bool improved, better;
        if (metric == EarlyStoppingMetric.Loss)
        {
            improved = loss < BestLoss - minDelta;
            better = loss < BestLoss;
        }
        else
        {
            improved = accuracy > BestAccuracy + minDelta;
            better = accuracy > BestAccuracy || (accuracy == BestAccuracy && loss < BestLoss);
        }
        EpochsWithoutImprovement = improved ? 0 : EpochsWithoutImprovement + 1;
        if (!better) return false;
        BestEpoch = epoch;
        BestAccuracy = accuracy;
        BestLoss = loss;
        return true;
    }

    /// <summary>Refills the window from the epochs trained before a resumed run (the best-epoch state is restored separately).</summary>
    public void Remember(IEnumerable<EpochMetrics> history)
    {
        foreach (var epoch in history) Remember(epoch.ValidationAccuracy, epoch.ValidationLoss);
    }

    private void Remember(double accuracy, double loss)
    {
        _recent.Add((accuracy, loss));
        if (_recent.Count > window) _recent.RemoveAt(0);
    }

    /// <summary>True when patience has run out.</summary>
    public bool ShouldStop => patience is int p && EpochsWithoutImprovement >= p;
}
