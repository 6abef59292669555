using MLPipelines.Catalog;
using MLPipelines.Data;
using MLPipelines.Data.Idx;
using MLPipelines.Imaging.Augmentation;
using MLPipelines.Torch.Experiments.DigitsTransfer;
using static TorchSharp.torch;

namespace MLPipelines.Tests.Experiments;

public class DigitsTransferTests
{
    private static readonly Lazy<MnistDataset> Mnist = new(() => MnistDataset.Load("mnist", new AssetLocator(TestCache.Assets)));

    [Fact]
    public void The_fine_tune_leaves_every_extractor_parameter_and_batchnorm_statistic_bit_identical()
    {
        set_num_threads(1);
        var mnist = Mnist.Value;
        var sample = new NestedClassSample(mnist.Train.LabelsAt([.. Enumerable.Range(0, 5000)]), 10, seed: 1);
        using var network = new DigitsConvNet(10, seed: 1, channels1: 4, channels2: 8);
        // A few pretraining steps so that weights and BatchNorm running statistics are no longer their initial values.
        DigitsPretrainer.Train(network, mnist.Train, sample.Take(2), 10, new Collage(), Pretrain(steps: 5), seed: 1);
        var before = Snapshot(network);
        Assert.Contains(before, p => p.Key.EndsWith("running_mean", StringComparison.Ordinal));

        var fineTune = new DigitsTransferDefinition.FineTuneSettings { TrainPerClass = 5, TestPerClass = 5, Steps = 20, BatchSize = 16 };
        var result = FrozenExtractorFineTune.Run(network, mnist.Train, sample.Take(5), mnist.Test, [.. Enumerable.Range(0, 50)], 10, fineTune, seed: 2);
        Assert.InRange(result.TestAccuracy, 0, 1);
        var after = Snapshot(network);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (name, values) in before)
            Assert.True(values.SequenceEqual(after[name]), $"extractor tensor {name} changed during the fine-tune");

        // The check can fail: in training mode a forward pass alone moves the BatchNorm statistics.
        network.Extractor.train();
        using (no_grad())
        using (var input = rand(8, 1, 28, 28))
            network.Features(input).Dispose();
        var moved = Snapshot(network);
        Assert.Contains(before, p => !p.Value.SequenceEqual(moved[p.Key]));
    }

    [Fact]
    public void Pretraining_on_mnist_beats_the_untrained_extractor_and_chance_on_a_tiny_budget()
    {
        set_num_threads(1);
        var mnist = Mnist.Value;
        var trainLabels = mnist.Train.LabelsAt([.. Enumerable.Range(0, mnist.Train.Count)]);
        var pretrainSet = new NestedClassSample(trainLabels, 10, seed: 3).Take(16);
        var fineTuneSet = new NestedClassSample(trainLabels, 10, seed: 4).Take(30);
        var testSet = new NestedClassSample(mnist.Test.LabelsAt([.. Enumerable.Range(0, mnist.Test.Count)]), 10, seed: 5).Take(40);
        var fineTune = new DigitsTransferDefinition.FineTuneSettings { TrainPerClass = 30, TestPerClass = 40, Steps = 150, BatchSize = 64 };

        using var untrained = new DigitsConvNet(10, seed: 7, channels1: 8, channels2: 16);
        double untrainedAccuracy = FrozenExtractorFineTune.Run(untrained, mnist.Train, fineTuneSet, mnist.Test, testSet, 10, fineTune, seed: 8).TestAccuracy;
        using var pretrained = new DigitsConvNet(10, seed: 7, channels1: 8, channels2: 16);
        DigitsPretrainer.Train(pretrained, mnist.Train, pretrainSet, 10, augmentation: null, Pretrain(steps: 80), seed: 7);
        double pretrainedAccuracy = FrozenExtractorFineTune.Run(pretrained, mnist.Train, fineTuneSet, mnist.Test, testSet, 10, fineTune, seed: 8).TestAccuracy;

        Assert.True(pretrainedAccuracy >= 0.8, $"pretrained extractor: {pretrainedAccuracy:P1}");
        Assert.True(pretrainedAccuracy > untrainedAccuracy + 0.03, $"pretrained {pretrainedAccuracy:P1} vs untrained {untrainedAccuracy:P1}");
    }

    [Fact]
    public void Pretraining_steps_follow_the_epochs_within_the_bounds()
    {
        var settings = new DigitsTransferDefinition.PretrainSettings { Epochs = 15, MinSteps = 30, MaxSteps = 300, BatchSize = 32 };
        Assert.Equal(30, settings.Steps(10));   // 15 steps of the whole 10-image set, raised to the minimum
        Assert.Equal(75, settings.Steps(160));  // 15 × 160 / 32
        Assert.Equal(300, settings.Steps(640)); // capped
    }

    private static DigitsTransferDefinition.PretrainSettings Pretrain(int steps) =>
        new() { Epochs = 1, MinSteps = steps, MaxSteps = steps, BatchSize = 32, LearningRate = 0.003 };

    private static Dictionary<string, float[]> Snapshot(DigitsConvNet network) =>
        network.Extractor.state_dict().ToDictionary(p => p.Key, p => p.Value.to_type(float32).contiguous().data<float>().ToArray());
}
