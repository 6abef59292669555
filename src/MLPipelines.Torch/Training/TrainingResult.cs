namespace MLPipelines.Torch.Training;

/// <summary>The outcome of a training run; the network holds the best epoch's weights.</summary>
/// <param name="History">Metrics of every epoch trained.</param>
/// <param name="BestEpoch">1-based epoch whose weights were restored.</param>
/// <param name="StoppedEarly">True when early stopping ended the run before the last epoch.</param>
/// <param name="Normalization">Input normalization the network was trained with (the exported graph applies it).</param>
/// <param name="ResumedAfterEpoch">Epoch of the checkpoint the run continued from (0 when it started fresh).</param>
public sealed record TrainingResult(IReadOnlyList<EpochMetrics> History, int BestEpoch, bool StoppedEarly, Normalization Normalization,
    int ResumedAfterEpoch)
{
    /// <summary>Metrics of the best epoch.</summary>
    public EpochMetrics Best => History[BestEpoch - 1];

    /// <summary>Epochs averaged when the best epoch was chosen (<see cref="ImageClassificationTrainer.Options.SelectionWindow"/>).</summary>
    public int SelectionWindow { get; init; } = 1;

    /// <summary>
    /// Validation accuracy that chose the best epoch: the mean over the <see cref="SelectionWindow"/> epochs ending at it (the
    /// best epoch's own accuracy when the window is 1). NaN without validation data. Compare runs (e.g. learning rates) on this.
    /// </summary>
    public double SelectionAccuracy { get; init; } = double.NaN;

    /// <summary>Validation loss over the same window as <see cref="SelectionAccuracy"/>. NaN without validation data.</summary>
    public double SelectionLoss { get; init; } = double.NaN;

    /// <summary>
    /// True when the head trained on backbone outputs computed once per image (<see cref="BackboneOutputCache"/>) rather than
    /// through the whole network every step; the steps are the same, the images/s figures then count head steps only.
    /// </summary>
    public bool HeadTrainedOnStoredBackboneOutputs { get; init; }

    /// <summary>Metrics of the last epoch trained.</summary>
    public EpochMetrics Last => History[^1];
}
