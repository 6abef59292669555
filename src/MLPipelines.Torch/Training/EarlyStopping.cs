namespace MLPipelines.Torch.Training;

/// <summary>
/// Tracks the best epoch on a validation metric and decides when to stop: after <c>patience</c> epochs without an improvement
/// of at least <c>minDelta</c>. With accuracy, an epoch that ties the best accuracy but has a lower loss is better (it is not
/// an improvement for patience unless it clears min-delta). Without patience it only tracks the best epoch.
/// </summary>
public sealed class EarlyStopping(EarlyStoppingMetric metric, int? patience, double minDelta)
{
    /// <summary>Best epoch so far (1-based; 0 before the first).</summary>
    public int BestEpoch { get; set; }

    /// <summary>Validation accuracy of the best epoch.</summary>
    public double BestAccuracy { get; set; } = double.NegativeInfinity;

    /// <summary>Validation loss of the best epoch.</summary>
    public double BestLoss { get; set; } = double.PositiveInfinity;

    /// <summary>Epochs since the last improvement.</summary>
    public int EpochsWithoutImprovement { get; set; }

    /// <summary>Records an epoch; returns true when it is the new best (its weights should be kept).</summary>
    public bool Update(int epoch, double validationAccuracy, double validationLoss)
    {
        bool improved, better;
        if (metric == EarlyStoppingMetric.Loss)
        {
            improved = validationLoss < BestLoss - minDelta;
            better = validationLoss < BestLoss;
        }
        else
        {
            improved = validationAccuracy > BestAccuracy + minDelta;
            better = validationAccuracy > BestAccuracy || (validationAccuracy == BestAccuracy && validationLoss < BestLoss);
        }
        EpochsWithoutImprovement = improved ? 0 : EpochsWithoutImprovement + 1;
        if (!better) return false;
        BestEpoch = epoch;
        BestAccuracy = validationAccuracy;
        BestLoss = validationLoss;
        return true;
    }

    /// <summary>True when patience has run out.</summary>
    public bool ShouldStop => patience is int p && EpochsWithoutImprovement >= p;
}
