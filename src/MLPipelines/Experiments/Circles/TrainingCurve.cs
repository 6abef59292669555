namespace MLPipelines.Experiments.Circles;

/// <summary>Per-epoch measurements of one training run: mean minibatch loss, and accuracies measured after the epoch.</summary>
public sealed record TrainingCurve(string Name, IReadOnlyList<double> TrainLoss, IReadOnlyList<double> TrainAccuracy,
    IReadOnlyList<double> TestAccuracy, TimeSpan Elapsed)
{
    /// <summary>Test accuracy after the last epoch.</summary>
    public double FinalTestAccuracy => TestAccuracy.Count == 0 ? double.NaN : TestAccuracy[^1];
}
