using MLPipelines.Catalog;
using MLPipelines.Imaging;
using MLPipelines.Imaging.Augmentation;
using MLPipelines.Torch.Training;

namespace MLPipelines.Torch.Experiments.ImbalancedNoisy;

/// <summary>
/// The <c>fine-tune</c> fold models: per fold, a pretrained backbone (cut at <c>features</c>) with a new linear head, every weight
/// trained through the project's trainer (<see cref="NetworkTrainer"/>) on the fold's training images upsampled to
/// <see cref="ImbalancedNoisyDefinition.FineTuneFoldSettings.ImageSize"/>, then scored on the fold's held-out images only. No
/// validation split and no early stopping: the last epoch is kept, so nothing is chosen on images the fold model must not see.
/// </summary>
internal sealed class FineTuneFoldTrainer(ImbalancedNoisyDefinition.FineTuneFoldSettings settings, int epochs, int seed, AssetSearchOptions assets,
    IProgress<ProgressUpdate>? progress)
{
    /// <summary>One sentence for the report.</summary>
    public string Describe() =>
        $"`{settings.Backbone}` cut at `features` + a new linear head, **every weight fine-tuned** per fold on the 32×32 images upsampled (bilinear) " +
        $"to {settings.ImageSize}×{settings.ImageSize}: {(settings.Optimizer == OptimizerKind.Sgd ? "SGD momentum 0.9" : "AdamW")}, weight decay 1e-4, " +
        $"batch {settings.BatchSize}, {epochs} epochs, {(settings.WarmupEpochs > 0 ? $"{settings.WarmupEpochs:g3} warm-up epochs then " : "")}cosine decay from " +
        $"{settings.LearningRate:g3}, augmentation `{settings.Augmentation}`, plain cross-entropy, the last epoch's weights kept";

    /// <summary>
    /// <paramref name="images"/> upsampled (bilinear, as the frozen-features path does) to the fine-tuning side, with their labels
    /// and names; done once for all training images, because every image is in the training part of all folds but one.
    /// </summary>
    public DecodedImageSet Upsample(DecodedImageSet images)
    {
        if (images.Size == settings.ImageSize) return images;
        var side = ImageSize.Square(settings.ImageSize);
        var resized = new ImageTensor[images.Count];
        Parallel.For(0, images.Count, new ParallelOptions { MaxDegreeOfParallelism = settings.Threads },
            i => resized[i] = AntialiasedResampler.Resize(images.Images[i], side));
        return DecodedImageSet.FromImages(resized, images.Labels, images.Paths, settings.ImageSize);
    }

    /// <summary>
    /// Fine-tunes a fresh network on <paramref name="train"/> (already at the fine-tuning side) and returns the softmax
    /// probabilities of every image of <paramref name="held"/>, in order; <paramref name="task"/> names the run in progress reports.
    /// </summary>
    public IReadOnlyList<float[]> FitAndScore(DecodedImageSet train, DecodedImageSet held, int classCount, string task, int seedOffset)
    {
        if (train.Size != settings.ImageSize || held.Size != settings.ImageSize)
            throw new ArgumentException($"fine-tune fold model: images are {train.Size}/{held.Size} px, expected {settings.ImageSize} (call Upsample first)");
        var options = new ImageClassificationTrainer.Options
        {
            Mode = TrainingMode.Full,
            Backbone = settings.Backbone,
            CutAt = "features",
            ImageSize = settings.ImageSize,
            Epochs = epochs,
            BatchSize = settings.BatchSize,
            Optimizer = settings.Optimizer,
            LearningRate = settings.LearningRate,
            WarmupEpochs = Math.Min(settings.WarmupEpochs, epochs - 1),
            Schedule = LearningRateScheduleKind.Cosine,
            AugmentationSpec = settings.Augmentation,
            Seed = seed + seedOffset,
            Threads = settings.Threads,
            Progress = progress is null ? null : new Progress<ProgressUpdate>(p => progress.Report(p with { Task = $"{task}: {p.Task}" })),
        };
        TrainerNetworks.Assets = assets;   // where the trainer looks up the catalog backbone (as FineTuneMethod sets it)
        var prepared = TrainerNetworks.Build(options, classCount, train);
        using var network = prepared.Network;
        new NetworkTrainer(options).Train(network, train, null, classCount, prepared.Normalization);
        return NetworkTrainer.Evaluate(network, held, prepared.Normalization, settings.BatchSize).Probabilities();
    }
}
