using MLPipelines.Torch.Training;

namespace MLPipelines.Torch.Experiments.ImbalancedNoisy;

/// <summary>
/// Trains the experiment's network — the built-in <c>convnet</c> from scratch at 32×32 through the project's trainer
/// (<see cref="NetworkTrainer"/>, SGD with momentum, fixed epochs, no early stopping: the last epoch is kept) — on in-memory
/// image sets. Every run of the experiment goes through here, so they differ only in data, labels and balancing.
/// </summary>
internal sealed class SmallConvNetTrainer(ImbalancedNoisyDefinition.ModelSettings model, int epochs, int seed, IProgress<ProgressUpdate>? progress)
{
    /// <summary>Image side.</summary>
    public const int ImageSize = 32;

    /// <summary>One sentence for the report.</summary>
    public string Describe() =>
        $"`convnet` from scratch (conv 3×3{(model.BatchNorm ? " → BN" : "")} → ReLU → max-pool 2 with widths [{string.Join(", ", model.HiddenSizes)}], then a linear layer), " +
        $"input normalized with the training images' channel statistics; {(model.Optimizer == OptimizerKind.Sgd ? "SGD momentum 0.9" : "AdamW")}, " +
        $"weight decay 1e-4, batch {model.BatchSize}, {epochs} epochs, {(model.WarmupEpochs > 0 ? $"{model.WarmupEpochs:g3} warm-up epochs then " : "")}" +
        $"cosine decay from {model.LearningRate:g3}, augmentation `{model.Augmentation}`; the last epoch's weights are kept";

    /// <summary>
    /// Trains a fresh network on <paramref name="train"/>; <paramref name="task"/> names it in progress reports. With
    /// <paramref name="constantRate"/> the rate stays fixed (the sweep) and the untrained network's loss on the training images is
    /// measured first (one extra forward pass), as the reference point of the divergence check.
    /// </summary>
    public TrainedConvNet Train(DecodedImageSet train, int classCount, ClassBalancing balancing, string task, int seedOffset = 0,
        double? constantRate = null, int? epochsOverride = null)
    {
        var options = new ImageClassificationTrainer.Options
        {
            Mode = TrainingMode.Scratch,
            Architecture = "convnet",
            ArchitectureSettings = new()
            {
                ["hidden-sizes"] = string.Join(",", model.HiddenSizes),
                ["batch-norm"] = model.BatchNorm ? "true" : "false",
            },
            ImageSize = ImageSize,
            Epochs = epochsOverride ?? epochs,
            BatchSize = model.BatchSize,
            Optimizer = model.Optimizer,
            LearningRate = constantRate ?? model.LearningRate,
            WarmupEpochs = constantRate is null ? Math.Min(model.WarmupEpochs, (epochsOverride ?? epochs) - 1) : 0,
            Schedule = constantRate is null ? LearningRateScheduleKind.Cosine : LearningRateScheduleKind.Constant,
            ClassWeights = balancing == ClassBalancing.WeightedLoss ? ClassWeighting.Balanced : ClassWeighting.None,
            BalancedSampler = balancing == ClassBalancing.Sampler,
            AugmentationSpec = model.Augmentation,
            Seed = seed + seedOffset,
            Threads = model.Threads,
            Progress = progress is null ? null : new Progress<ProgressUpdate>(p => progress.Report(p with { Task = $"{task}: {p.Task}" })),
        };
        var prepared = TrainerNetworks.Build(options, classCount, train);
        try
        {
            double initialLoss = constantRate is null ? double.NaN
                : NetworkTrainer.Evaluate(prepared.Network, train, prepared.Normalization, model.BatchSize).Summary(train.Labels).Loss;
            var result = new NetworkTrainer(options).Train(prepared.Network, train, null, classCount, prepared.Normalization);
            return new TrainedConvNet(prepared.Network, prepared.Normalization, result, initialLoss, model.BatchSize);
        }
        catch
        {
            prepared.Network.Dispose();
            throw;
        }
    }
}

/// <summary>A trained network with its normalization, history and the training loss it started from.</summary>
internal sealed class TrainedConvNet(ITrainableNetwork network, Normalization normalization, TrainingResult result, double initialLoss, int batchSize)
    : IDisposable
{
    /// <summary>Per-epoch history.</summary>
    public TrainingResult Result { get; } = result;

    /// <summary>Mean cross-entropy of the untrained network on its training set (NaN unless measured: sweep runs only).</summary>
    public double InitialLoss { get; } = initialLoss;

    /// <summary>Softmax probabilities of every image of <paramref name="images"/> (eval mode).</summary>
    public IReadOnlyList<float[]> Probabilities(DecodedImageSet images) =>
        NetworkTrainer.Evaluate(network, images, normalization, batchSize).Probabilities();

    /// <inheritdoc/>
    public void Dispose() => network.Dispose();
}
