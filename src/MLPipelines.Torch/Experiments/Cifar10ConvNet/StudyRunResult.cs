using MLPipelines.Torch.Training;

namespace MLPipelines.Torch.Experiments.Cifar10ConvNet;

/// <summary>One trained configuration of the study: its history, the restored best epoch, and test results of the best and last epochs.</summary>
/// <param name="Name">Short run name (also the legend entry of the curves).</param>
/// <param name="Network">What was trained (from the trainer's network description).</param>
/// <param name="History">Metrics of every epoch.</param>
/// <param name="BestEpoch">The epoch with the best validation accuracy (its weights were restored).</param>
/// <param name="Test">Test loss and accuracy of the best epoch's weights.</param>
/// <param name="LastTest">Test loss and accuracy of the last epoch's weights (null when they were not evaluated).</param>
/// <param name="ImageSize">Training and evaluation image side.</param>
/// <param name="TrainImages">Training images per epoch.</param>
/// <param name="Duration">Wall time of the run including evaluation.</param>
internal sealed record StudyRunResult(string Name, string Network, IReadOnlyList<EpochMetrics> History, int BestEpoch,
    (double Loss, double Accuracy) Test, (double Loss, double Accuracy)? LastTest, int ImageSize, int TrainImages, TimeSpan Duration)
{
    /// <summary>Metrics of the best epoch.</summary>
    public EpochMetrics Best => History[BestEpoch - 1];

    /// <summary>Metrics of the last epoch.</summary>
    public EpochMetrics Last => History[^1];

    /// <summary>Training images per second over the run's epochs (forward, backward and step only).</summary>
    public double ImagesPerSecond => History.Average(h => h.ImagesPerSecond);
}
