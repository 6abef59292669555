using MLPipelines.Torch.Training;
using TorchSharp;

namespace MLPipelines.Tests.Torch.Training;

/// <summary>The training loop on a tiny CNN and stripe images made in the test (no ONNX bridge involved).</summary>
public class NetworkTrainerTests
{
    private sealed record Data(DecodedImageSet Train, DecodedImageSet Validation, Normalization Normalization);

    private static readonly TemporaryFolder Folder = new("trainer-stripes");

    private static readonly Lazy<Data> Stripes = new(() =>
    {
        var train = StripeImages.Create(Folder, "train", 24, seed: 1);
        var validation = StripeImages.Create(Folder, "validation", 10, seed: 2);
        var (mean, std) = train.ChannelStatistics();
        return new Data(train, validation, new Normalization(mean, std));
    });

    private static ImageClassificationTrainer.Options Options(int epochs = 6) => new()
    {
        Epochs = epochs, BatchSize = 8, LearningRate = 0.05, Schedule = LearningRateScheduleKind.Constant, Seed = 7,
        Augmentation = new MLPipelines.Imaging.Augmentation.RandomHorizontalFlip(0.5),
    };

    private static TrainingResult Train(ModuleNetwork network, ImageClassificationTrainer.Options options)
    {
        var d = Stripes.Value;
        return new NetworkTrainer(options).Train(network, d.Train, d.Validation, StripeImages.Classes, d.Normalization);
    }

    [Fact]
    public void Full_training_learns_stripe_orientation_far_above_chance()
    {
        using var network = TinyCnn.Network(StripeImages.Classes);
        var options = Options(epochs: 15);
        options.Schedule = LearningRateScheduleKind.OneCycle;
        options.LearningRate = 0.2;
        var result = Train(network, options);
        // Chance is 1/3.
        Assert.True(result.Best.ValidationAccuracy >= 0.8, $"best validation accuracy {result.Best.ValidationAccuracy:P1}");
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss, "training loss did not decrease");
        Assert.All(result.History, m => Assert.True(m.ImagesPerSecond > 0));
    }

    [Fact]
    public void Head_only_leaves_every_backbone_parameter_and_batch_norm_statistic_bit_identical()
    {
        using var network = TinyCnn.Network(StripeImages.Classes);
        var before = network.Module.state_dict().Where(p => p.Value.dtype == torch.ScalarType.Float32)
            .ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());
        var options = Options(epochs: 2);
        options.Mode = TrainingMode.HeadOnly;
        Train(network, options);
        var after = network.Module.state_dict();
        int backbone = 0;
        foreach (var (name, tensor) in after)
        {
            if (tensor.dtype != torch.ScalarType.Float32) continue;
            if (name.StartsWith("head.", StringComparison.Ordinal))
                Assert.NotEqual(before[name], tensor.data<float>().ToArray());
            else
            {
                Assert.Equal(before[name], tensor.data<float>().ToArray());
                backbone++;
            }
        }
        Assert.True(backbone >= 10, $"only {backbone} backbone tensors compared"); // 2 convs × 2 + 2 BN × 4
    }

    [Fact]
    public void The_network_ends_with_the_best_epochs_weights_not_the_last()
    {
        using var network = TinyCnn.Network(StripeImages.Classes);
        var options = Options(epochs: 6);
        options.LearningRate = 0.4; // large steps make validation accuracy fluctuate, so the best epoch is not the last
        options.EarlyStoppingMetric = EarlyStoppingMetric.Loss;
        var result = Train(network, options);
        int expectedBest = result.History.MinBy(m => m.ValidationLoss)!.Epoch;
        Assert.Equal(expectedBest, result.BestEpoch);
        Assert.NotEqual(result.History.Count, result.BestEpoch);
        var d = Stripes.Value;
        var (loss, accuracy) = NetworkTrainer.Evaluate(network, d.Validation, d.Normalization, 8).Summary(d.Validation.Labels);
        Assert.Equal(result.Best.ValidationLoss, loss, 5);
        Assert.Equal(result.Best.ValidationAccuracy, accuracy, 10);
    }

    [Fact]
    public void With_a_selection_window_the_restored_epoch_ends_the_best_run_of_validation_accuracy()
    {
        using var network = TinyCnn.Network(StripeImages.Classes);
        var options = Options(epochs: 6);
        options.LearningRate = 0.4; // validation accuracy fluctuates from epoch to epoch
        options.SelectionWindow = 3;
        var result = Train(network, options);
        var windows = result.History.Select((m, i) => (
            m.Epoch,
            Accuracy: result.History.Skip(Math.Max(0, i - 2)).Take(Math.Min(3, i + 1)).Average(h => h.ValidationAccuracy),
            Loss: result.History.Skip(Math.Max(0, i - 2)).Take(Math.Min(3, i + 1)).Average(h => h.ValidationLoss))).ToList();
        var expected = windows.OrderByDescending(w => w.Accuracy).ThenBy(w => w.Loss).ThenBy(w => w.Epoch).First();
        Assert.Equal(expected.Epoch, result.BestEpoch);
        Assert.Equal(expected.Accuracy, result.SelectionAccuracy, 12);
        Assert.Equal(3, result.SelectionWindow);
        var d = Stripes.Value;
        var (_, accuracy) = NetworkTrainer.Evaluate(network, d.Validation, d.Normalization, 8).Summary(d.Validation.Labels);
        Assert.Equal(result.Best.ValidationAccuracy, accuracy, 10);
    }

    [Fact]
    public void Early_stopping_stops_after_patience_epochs_without_improvement()
    {
        using var network = TinyCnn.Network(StripeImages.Classes);
        var options = Options(epochs: 30);
        options.EarlyStoppingPatience = 2;
        options.EarlyStoppingMinDelta = 0.5; // no epoch can improve accuracy by 50 points twice: stops early for sure
        var result = Train(network, options);
        Assert.True(result.StoppedEarly);
        Assert.True(result.History.Count < 30);
        // Each of the last two epochs failed to beat the accuracy reached before it by min-delta.
        var accuracies = result.History.Select(m => m.ValidationAccuracy).ToList();
        for (int e = accuracies.Count - 2; e < accuracies.Count; e++)
            Assert.True(accuracies[e] <= accuracies.Take(e).Max() + 0.5);
    }

    [Fact]
    public void Resuming_after_an_interruption_gives_the_same_metrics_and_weights_as_an_uninterrupted_run()
    {
        using var checkpoints = new TemporaryFolder("checkpoints");
        var options = Options(epochs: 4);
        options.Schedule = LearningRateScheduleKind.Cosine;
        options.BatchAugmentation = null;
        options.CheckpointFolder = Path.Combine(checkpoints.Path, "a");
        using var whole = TinyCnn.Network(StripeImages.Classes);
        var expected = Train(whole, options);

        var interrupted = Options(epochs: 4);
        interrupted.Schedule = LearningRateScheduleKind.Cosine;
        interrupted.CheckpointFolder = Path.Combine(checkpoints.Path, "b");
        interrupted.EpochCompleted = m =>
        {
            if (m.Epoch == 2) throw new OperationCanceledException("simulated interruption");
        };
        using (var first = TinyCnn.Network(StripeImages.Classes))
            Assert.Throws<OperationCanceledException>(() => Train(first, interrupted));
        interrupted.EpochCompleted = null;
        interrupted.Resume = true;
        using var resumed = TinyCnn.Network(StripeImages.Classes, seed: 99); // different init: the checkpoint must overwrite it
        var actual = Train(resumed, interrupted);

        Assert.Equal(2, actual.ResumedAfterEpoch);
        Assert.Equal(expected.BestEpoch, actual.BestEpoch);
        Assert.Equal(expected.History.Select(Comparable), actual.History.Select(Comparable));
        Assert.Equal(NetworkTrainer.Save(whole.Module), NetworkTrainer.Save(resumed.Module));
    }

    [Fact]
    public void The_same_seed_gives_the_same_history_and_another_seed_a_different_one_with_per_sample_and_batch_augmentation()
    {
        List<string> Run(int seed)
        {
            using var network = TinyCnn.Network(StripeImages.Classes);
            var options = Options(epochs: 2);
            options.Augmentation = null;
            options.AugmentationSpec = "hflip(p=0.5), cutmix(alpha=1)"; // soft targets through the loss
            options.Seed = seed;
            return Train(network, options).History.Select(Comparable).ToList();
        }
        Assert.Equal(Run(3), Run(3));
        Assert.NotEqual(Run(3), Run(4));
    }

    [Fact]
    public void Stopping_after_an_epoch_repeats_the_first_epochs_of_the_whole_run_with_its_learning_rate_schedule()
    {
        using var whole = TinyCnn.Network(StripeImages.Classes);
        var wholeOptions = Options(epochs: 4);
        wholeOptions.Schedule = LearningRateScheduleKind.Cosine;
        var wholeRun = Train(whole, wholeOptions);
        using var stopped = TinyCnn.Network(StripeImages.Classes);
        var options = Options(epochs: 4);
        options.Schedule = LearningRateScheduleKind.Cosine;
        options.StopAfterEpoch = 2;
        var stoppedRun = Train(stopped, options);

        Assert.Equal(2, stoppedRun.History.Count);
        Assert.False(stoppedRun.StoppedEarly);
        Assert.Equal(wholeRun.History.Take(2).Select(Comparable), stoppedRun.History.Select(Comparable));
        Assert.True(stoppedRun.History[1].LearningRate > wholeRun.History[3].LearningRate, "the cosine schedule still spans 4 epochs");
        options.StopAfterEpoch = 5;
        Assert.Throws<ArgumentException>(options.Validate);
    }

    // Everything but wall-clock figures.
    private static string Comparable(EpochMetrics m) =>
        FormattableString.Invariant($"{m.Epoch} {m.TrainLoss:R} {m.TrainAccuracy:R} {m.ValidationLoss:R} {m.ValidationAccuracy:R} {m.LearningRate:R}");
}
