using MLPipelines.Catalog;
using MLPipelines.Data.Cifar10;
using MLPipelines.Imaging;
using MLPipelines.Pipelines;
using MLPipelines.Torch.Experiments.Cifar10ConvNet;
using MLPipelines.Torch.Training;

namespace MLPipelines.Tests.Experiments;

public class Cifar10ConvNetTests
{
    private static string Archive => Cifar10Archive.Locate(new AssetLocator(TestCache.Assets));

    [Fact]
    public void The_built_in_pipelines_parse_with_the_full_dropout_grid_and_the_reference_setting()
    {
        var defaults = Assert.IsType<Cifar10ConvNetDefinition>(PipelineKinds.BuiltIn("cifar10-convnet"));
        Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], defaults.DropoutSweep.Values);
        Assert.True(defaults.DropoutSweep.Epochs < defaults.Training.Epochs);
        var full = Assert.IsType<Cifar10ConvNetDefinition>(PipelineKinds.BuiltIn("cifar10-convnet-full"));
        Assert.Equal((4500, 500, 1000, 50), (full.Data.TrainPerClass, full.Data.ValidationPerClass, full.Data.TestPerClass, full.Training.Epochs));
    }

    [Theory]
    [InlineData("data: {train-per-class: 4900, validation-per-class: 200}", "train-per-class")]
    [InlineData("training: {schedule: linear}", "'linear'")]
    [InlineData("training: {augmentation: hflop}", "augmentation")]
    [InlineData("dropout-sweep: {values: [0.5, 1.0]}", "dropout")]
    [InlineData("transfer: {image-sizes: [16]}", "image-sizes")]
    public void Bad_settings_give_one_line_errors_naming_the_file_and_the_key(string yaml, string expected)
    {
        var error = Assert.Throws<PipelineException>(() => PipelineKinds.Parse($"experiment: cifar10-convnet\n{yaml}\n", "mine.yaml"));
        Assert.StartsWith("mine.yaml", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Subsets_are_disjoint_per_class_prefixes_of_the_archive_order()
    {
        var subsets = Cifar10Subsets.Read(Archive, trainPerClass: 3, validationPerClass: 2, testPerClass: 1);
        var (train, validation, test) = subsets.At(32);
        Assert.Equal((30, 20, 10), (train.Count, validation.Count, test.Count));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(3, train.Labels.Count(l => l == c)));
        Assert.Empty(train.Paths.Intersect(validation.Paths));
        Assert.Contains("cifar10-jpg/train/airplane/", train.Paths[0]);
        Assert.Contains("cifar10-jpg/test/", test.Paths[0]);
        // A larger budget contains the smaller one (the first images of each class train).
        var larger = Cifar10Subsets.Read(Archive, trainPerClass: 5, validationPerClass: 1, testPerClass: 1).At(32).Train;
        Assert.Subset(larger.Paths.ToHashSet(), train.Paths.ToHashSet());
        // Upsampled copies keep labels and order.
        var upsampled = subsets.At(64).Train;
        Assert.Equal(64, upsampled.Size);
        Assert.Equal(train.Labels, upsampled.Labels);
        Assert.Equal(64, upsampled.Images[0].Width);
    }

    [Fact]
    public void In_memory_image_sets_reject_mismatched_inputs_with_the_image_named()
    {
        var error = Assert.Throws<ArgumentException>(() => DecodedImageSet.FromImages(
            [new ImageTensor(32, 32), new ImageTensor(16, 16)], [0, 1], ["a.jpg", "b.jpg"]));
        Assert.Contains("'b.jpg' is 16×16", error.Message);
        Assert.Throws<ArgumentException>(() => DecodedImageSet.FromImages([new ImageTensor(32, 32)], [0, 1], ["a.jpg"]));
    }

    [Fact]
    public void The_same_seed_gives_the_same_history_and_the_last_epoch_is_scored_apart_from_the_best()
    {
        var sets = Cifar10Subsets.Read(Archive, trainPerClass: 2, validationPerClass: 1, testPerClass: 1).At(32);
        StudyRunResult Train() => StudyTrainer.Train("BN", new ImageClassificationTrainer.Options
        {
            Mode = TrainingMode.Scratch, Architecture = "convnet", ArchitectureSettings = new() { ["batch-norm"] = "true", ["dropout"] = "0.3" },
            ImageSize = 32, Epochs = 2, BatchSize = 10, LearningRate = 0.01, Seed = 5, Threads = 2,
        }, sets, 10, scoreLastEpoch: true);
        var first = Train();
        var second = Train();
        Assert.Equal(2, first.History.Count);
        Assert.Equal(first.History.Select(h => (h.TrainLoss, h.ValidationLoss)), second.History.Select(h => (h.TrainLoss, h.ValidationLoss)));
        Assert.Equal(first.Test, second.Test);
        Assert.NotNull(first.LastTest);
        Assert.Contains("convnet", first.Network);
    }

    [Fact]
    public void A_tiny_run_writes_every_section_with_its_plots_and_the_parameter_counts()
    {
        using var output = new TemporaryFolder("cifar10-convnet");
        var pipeline = PipelineKinds.Parse("""
            experiment: cifar10-convnet
            name: cifar-tiny
            data: {train-per-class: 3, validation-per-class: 2, test-per-class: 2}
            training: {epochs: 1, batch-size: 10}
            dropout-sweep: {values: [0.2, 0.8], epochs: 1}
            transfer: {image-sizes: []}
            """, "tiny.yaml");
        var run = pipeline.Run(new RunOptions { OutputRoot = output.Path, Assets = TestCache.Assets, RunName = "r" }, null, _ => { }, "test");
        string report = File.ReadAllText(run.ReportPath);
        Assert.Contains("7,678,474 parameters without BN, 7,682,826 with BN", report);
        Assert.Contains("lossy", report);
        Assert.Matches("Target: the BN model beats the no-BN model on validation at equal budget — (met|NOT met)", report);
        foreach (var section in new[] { "## Budget", "## 1. Batch normalization", "## 2. Early stopping", "## 3. Augmentation", "## 4. Dropout sweep",
                     "## 5. Learning-rate schedule", "## 6. SGD with momentum against AdamW", "## 7. First-layer filters", "## 8. Transfer" })
            Assert.Contains(section, report);
        Assert.Contains("79.3%", report);
        Assert.Contains("| 30 (3 per class", report);
        Assert.Contains("| 0.8 | ", report); // a row of the dropout table
        foreach (var plot in new[] { "batch-norm", "augmentation", "schedule", "optimizer", "dropout-sweep", "dropout-curves", "filters-before", "filters-after" })
            Assert.True(new FileInfo(Path.Combine(run.RunFolder, "plots", plot + ".png")).Length > 2_000, $"{plot}.png is missing or tiny");
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(run.RunFolder, "plots", "filters-before.png")),
            File.ReadAllBytes(Path.Combine(run.RunFolder, "plots", "filters-after.png")));
        Assert.True(File.Exists(Path.Combine(run.RunFolder, "metrics.json")));
        Assert.Equal(5 + 2, run.SummaryRows.Count);
    }

    [Fact]
    public void Pretrained_mobilenet_features_with_a_trained_head_beat_chance_on_upsampled_cifar()
    {
        TrainerNetworks.Assets = TestCache.Assets;
        var sets = Cifar10Subsets.Read(Archive, trainPerClass: 10, validationPerClass: 3, testPerClass: 5).At(64);
        var result = StudyTrainer.Train("head only", new ImageClassificationTrainer.Options
        {
            Mode = TrainingMode.HeadOnly, ImageSize = 64, Epochs = 3, BatchSize = 20, LearningRate = 0.05, Seed = 1, Threads = 2,
        }, sets, 10);
        Assert.True(result.Test.Accuracy > 0.2, $"head-only test accuracy {result.Test.Accuracy:P0} on 50 images (chance 10%)");
    }
}
