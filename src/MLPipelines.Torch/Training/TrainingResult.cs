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

    /// <summary>Metrics of the last epoch trained.</summary>
    public EpochMetrics Last => History[^1];
}
