namespace MLPipelines.Torch.Training;

/// <summary>What one epoch achieved (the metrics callback receives it after every epoch).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss (with smoothing, weights and soft targets as trained).</param>
/// <param name="TrainAccuracy">Fraction of training images whose arg-max logit is their (unmixed) label.</param>
/// <param name="ValidationLoss">Plain cross-entropy on the validation set (NaN without one).</param>
/// <param name="ValidationAccuracy">Validation accuracy (NaN without a validation set).</param>
/// <param name="LearningRate">Head learning rate at the end of the epoch.</param>
/// <param name="ImagesPerSecond">Training images per second (forward, backward and step; excludes validation).</param>
/// <param name="Seconds">Wall time of the epoch including validation.</param>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainAccuracy, double ValidationLoss, double ValidationAccuracy,
    double LearningRate, double ImagesPerSecond, double Seconds);
