using Microsoft.ML;
using MLPipelines.Data;
using MLPipelines.Evaluation;
using MLPipelines.Tests.Training;
using MLPipelines.Torch.Training;
using MLPipelines.Training;
using TorchSharp;

namespace MLPipelines.Tests.Torch.Training;

/// <summary>
/// The trainer end to end through the ONNX bridge on a small PACS cartoon subset at 112 px (to keep the tests fast):
/// every mode beats chance clearly, head-only training leaves the pretrained backbone bit-identical, and the model.zip
/// predicts in a stock-ML.NET app what TorchSharp predicts.
/// </summary>
public class PacsTrainingTests
{
    private const int Size = 112;

    private sealed record Fixture(DatasetSplit Split, DecodedImageSet Test);

    // Four visually distinct classes (chance 25%), 8 training images per class (6 train + 2 validation), 6 test images per class.
    private static readonly string[] Classes = ["elephant", "guitar", "house", "person"];

    private static readonly Lazy<Fixture> Small = new(() =>
    {
        var dataset = ImageFolderDataset.Load(RepositoryPaths.PacsCartoon, new ImageFolderOptions { VerifyImages = false });
        var split = StratifiedSplit.Create(dataset.Images.Where(i => Classes.Contains(i.Label)).ToList(), Classes,
            new SplitOptions { Seed = 42, MaxTrainPerClass = 8, MaxTestPerClass = 6 });
        TrainerNetworks.Assets = TestCache.Assets;
        var test = DecodedImageSet.Decode(split.Test.Select(i => i.Path).ToList(),
            split.Test.Select(i => split.Classes.ToList().IndexOf(i.Label)).ToList(), Size);
        return new Fixture(split, test);
    });

    private static ImageClassificationTrainer.Options Options(TrainingMode mode) => new()
    {
        Mode = mode, ImageSize = Size, Epochs = 4, BatchSize = 12, LearningRate = 0.02, Seed = 42,
    };

    private static (ImageClassificationFit Fit, double TestAccuracy, IReadOnlyList<float[]> Probabilities) Train(
        ImageClassificationTrainer.Options options, string? folder = null)
    {
        var f = Small.Value;
        options.ModelFolder = folder;
        var fit = new ImageClassificationTrainer(new MLContext(42), options).Fit(f.Split.Train, f.Split.Validation, f.Split.Classes);
        var evaluation = NetworkTrainer.Evaluate(fit.Network, f.Test, fit.Training.Normalization, 16);
        return (fit, evaluation.Summary(f.Test.Labels).Accuracy, evaluation.Probabilities());
    }

    [Fact]
    public void Head_only_on_stored_backbone_outputs_takes_the_same_steps_as_running_the_whole_network_every_step()
    {
        var direct = Options(TrainingMode.HeadOnly);
        direct.StoreFrozenBackboneOutputs = false;
        var (stored, _, storedProbabilities) = Train(Options(TrainingMode.HeadOnly));
        var (whole, _, wholeProbabilities) = Train(direct);
        using var storedNetwork = stored.Network;
        using var wholeNetwork = whole.Network;
        Assert.True(stored.Training.HeadTrainedOnStoredBackboneOutputs);
        Assert.False(whole.Training.HeadTrainedOnStoredBackboneOutputs);
        Assert.Equal(whole.Training.BestEpoch, stored.Training.BestEpoch);
        Assert.Equal(whole.Training.History.Count, stored.Training.History.Count);
        foreach (var (a, b) in stored.Training.History.Zip(whole.Training.History))
        {
            Assert.Equal(b.TrainLoss, a.TrainLoss, 1e-4 * Math.Max(1, b.TrainLoss));
            Assert.Equal(b.ValidationLoss, a.ValidationLoss, 1e-4 * Math.Max(1, b.ValidationLoss));
            Assert.Equal(b.ValidationAccuracy, a.ValidationAccuracy);
        }
        for (int i = 0; i < storedProbabilities.Count; i++)
            for (int k = 0; k < storedProbabilities[i].Length; k++)
                Assert.Equal(wholeProbabilities[i][k], storedProbabilities[i][k], 1e-4);
    }

    [Fact]
    public void Stored_backbone_outputs_are_reused_for_the_same_images_and_backbone_and_computed_again_when_either_changes()
    {
        var f = Small.Value;
        var options = Options(TrainingMode.HeadOnly);
        var images = new ImageClassificationTrainer(new MLContext(42), options).Decode(f.Split.Validation, f.Split.Classes);
        var prepared = TrainerNetworks.Build(options, f.Split.Classes.Count, images);
        using var network = prepared.Network;
        var separable = Assert.IsAssignableFrom<ISeparableHeadNetwork>(network);
        var first = BackboneOutputCache.For(separable, images, prepared.Normalization, 8);
        Assert.Equal(images.Count, first.Outputs.Count);
        Assert.Same(first, BackboneOutputCache.For(separable, images, prepared.Normalization, 8));

        var sameFiles = new ImageClassificationTrainer(new MLContext(42), options).Decode(f.Split.Validation, f.Split.Classes);
        Assert.NotSame(first, BackboneOutputCache.For(separable, sameFiles, prepared.Normalization, 8)); // another image set

        using (torch.no_grad()) network.BackboneParameters()[0].add_(0.05f);
        var changed = BackboneOutputCache.For(separable, images, prepared.Normalization, 8);
        Assert.NotSame(first, changed);
        Assert.NotEqual(first.Outputs[0], changed.Outputs[0]);
    }

    [Fact]
    public void Head_only_beats_chance_leaves_the_backbone_bit_identical_and_its_model_zip_predicts_as_torchsharp()
    {
        using var folder = new TemporaryFolder("head-only");
        var f = Small.Value;
        Dictionary<string, float[]>? before = null;
        NetworkBuilder recording = (options, classes, train) =>
        {
            var prepared = TrainerNetworks.Build(options, classes, train);
            before = prepared.Network.BackboneParameters().Select((p, i) => (i, p.data<float>().ToArray())).ToDictionary(x => $"{x.i}", x => x.Item2);
            return prepared;
        };
        var options = Options(TrainingMode.HeadOnly);
        options.ModelFolder = folder.Path;
        options.LearningRate = 0.05;
        var fit = new ImageClassificationTrainer(new MLContext(42), options, recording).Fit(f.Split.Train, f.Split.Validation, f.Split.Classes);
        using var network = fit.Network;
        var after = network.BackboneParameters().Select(p => p.data<float>().ToArray()).ToList();
        Assert.Equal(before!.Count, after.Count);
        Assert.True(after.Count > 100, $"only {after.Count} backbone parameters"); // MobileNetV2: 52 convs + 52 BN × 2 ...
        for (int i = 0; i < after.Count; i++)
            Assert.Equal(before[$"{i}"], after[i]);

        var evaluation = NetworkTrainer.Evaluate(network, f.Test, fit.Training.Normalization, 16);
        double accuracy = evaluation.Summary(f.Test.Labels).Accuracy;
        Assert.True(accuracy >= 0.55, $"head-only test accuracy {accuracy:P1} (chance 25%)");

        // model.zip round trip: the stock app's probabilities equal TorchSharp's eval probabilities.
        string zip = folder.File("model.zip");
        ImageClassifierModel.Save(new MLContext(1), fit.Model, zip);
        var expected = evaluation.Probabilities();
        var predictions = StockConsumer.Predict(zip, f.Test.Paths);
        Assert.Equal(f.Test.Count, predictions.Count);
        for (int i = 0; i < f.Test.Count; i++)
        {
            Assert.Equal(f.Split.Classes, predictions[i].Classes);
            Assert.Equal(f.Split.Classes[ClassificationMetrics.ArgMax(expected[i])], predictions[i].PredictedLabel);
            for (int c = 0; c < expected[i].Length; c++)
                Assert.True(Math.Abs(expected[i][c] - predictions[i].Score[c]) < 1e-4,
                    $"{f.Test.Paths[i]}: class {c} probability {predictions[i].Score[c]} in the stock app, {expected[i][c]} in TorchSharp");
        }

        // Continuing from the model.zip starts from exactly the saved network (normalization inside its graph).
        var continued = TrainerNetworks.Build(new ImageClassificationTrainer.Options { ContinueFrom = zip, ImageSize = Size }, f.Split.Classes.Count, f.Test);
        using (continued.Network)
        {
            var again = NetworkTrainer.Evaluate(continued.Network, f.Test, continued.Normalization, 16).Probabilities();
            for (int i = 0; i < f.Test.Count; i++)
                for (int c = 0; c < expected[i].Length; c++)
                    Assert.Equal(expected[i][c], again[i][c], 4);
        }
    }

    [Theory]
    [InlineData(TrainingMode.Full)]
    [InlineData(TrainingMode.Gradual)]
    public void Fine_tuning_modes_beat_chance_clearly(TrainingMode mode)
    {
        var options = Options(mode);
        options.BackboneLearningRateFactor = 0.1;
        var (fit, accuracy, _) = Train(options);
        fit.Network.Dispose();
        Assert.True(accuracy >= 0.55, $"{mode} test accuracy {accuracy:P1} (chance 25%) " + string.Join("; ", fit.Training.History.Select(h => $"{h.ImagesPerSecond:0.0} img/s {h.Seconds:0.0}s val {h.ValidationAccuracy:P0}")));
        Assert.Equal(4, fit.Training.History.Count);
    }

    [Fact]
    public void Scratch_training_of_a_small_convnet_beats_chance_clearly_on_two_classes()
    {
        var dataset = ImageFolderDataset.Load(RepositoryPaths.PacsCartoon, new ImageFolderOptions { VerifyImages = false });
        string[] classes = ["house", "person"];
        var split = StratifiedSplit.Create(dataset.Images.Where(i => classes.Contains(i.Label)).ToList(), classes,
            new SplitOptions { Seed = 42, MaxTrainPerClass = 40, MaxTestPerClass = 20 });
        var options = new ImageClassificationTrainer.Options
        {
            Mode = TrainingMode.Scratch, Architecture = "convnet", ImageSize = 32, Epochs = 12, BatchSize = 16, LearningRate = 0.05,
            Schedule = LearningRateScheduleKind.OneCycle, AugmentationSpec = "light",
            ArchitectureSettings = new() { ["hidden-sizes"] = "16,32,64", ["batch-norm"] = "true" },
        };
        var fit = new ImageClassificationTrainer(new MLContext(42), options).Fit(split.Train, split.Validation, split.Classes);
        using var network = fit.Network;
        var test = DecodedImageSet.Decode(split.Test.Select(i => i.Path).ToList(), split.Test.Select(i => Array.IndexOf(classes, i.Label)).ToList(), 32);
        double accuracy = NetworkTrainer.Evaluate(network, test, fit.Training.Normalization, 32).Summary(test.Labels).Accuracy;
        Assert.True(accuracy >= 0.7, $"scratch test accuracy {accuracy:P1} (chance 50%)");
        // Scratch networks are normalized with the training images' own statistics, not ImageNet's.
        Assert.NotEqual(Normalization.ImageNet.Mean, fit.Training.Normalization.Mean);
    }
}
