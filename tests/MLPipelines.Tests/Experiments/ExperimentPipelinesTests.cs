using MLPipelines.Pipelines;
using MLPipelines.Torch.Experiments.Circles;
using MLPipelines.Torch.Experiments.DigitsTransfer;

namespace MLPipelines.Tests.Experiments;

public class ExperimentPipelinesTests
{
    [Fact]
    public void The_built_in_circles_and_digits_transfer_pipelines_parse_as_their_kinds()
    {
        Assert.IsType<CirclesDefinition>(PipelineKinds.BuiltIn("circles"));
        var transfer = Assert.IsType<DigitsTransferDefinition>(PipelineKinds.BuiltIn("digits-transfer"));
        Assert.Equal([1, 2, 4, 8, 16, 32, 64], transfer.SamplesPerClass);
        Assert.Equal(4, transfer.Pairs.Count);
        Assert.Equal(3, transfer.Seeds);
        Assert.IsType<DigitsTransferDefinition>(PipelineKinds.BuiltIn("digits-transfer-long"));
    }

    [Fact]
    public void Bad_settings_give_one_line_errors_naming_the_file_and_the_key()
    {
        var noise = Assert.Throws<PipelineException>(() => PipelineKinds.Parse("experiment: circles\ndata:\n  factor: 1.5\n", "mine.yaml"));
        Assert.Contains("mine.yaml", noise.Message);
        Assert.Contains("factor", noise.Message);
        var typo = Assert.Throws<PipelineException>(() => PipelineKinds.Parse("experiment: circles\nmlp:\n  hiden: 3\n", "typo.yaml"));
        Assert.Contains("typo.yaml:3", typo.Message);
        var emnist = Assert.Throws<PipelineException>(() => PipelineKinds.Parse(
            "experiment: digits-transfer\npairs:\n  - {source: emnist, target: mnist}\n", "pairs.yaml"));
        Assert.Contains("EMNIST is not available offline", emnist.Message);
        var augmentation = Assert.Throws<PipelineException>(() => PipelineKinds.Parse("experiment: digits-transfer\naugmentations: [cutout]\n", "aug.yaml"));
        Assert.Contains("'cutout'", augmentation.Message);
    }

    [Fact]
    public void A_tiny_circles_run_writes_the_report_with_its_plots_and_meets_the_kernel_target()
    {
        using var output = new TemporaryFolder("circles");
        var pipeline = PipelineKinds.Parse("""
            experiment: circles
            name: circles-tiny
            data: {train: 200, test: 200}
            mlp: {epochs: 20}
            sweep: {learning-rates: [0.1, 1], batch-sizes: [16, 200]}
            mnist: {train-size: 300, epochs: 1, hidden: 16}
            """, "tiny.yaml");
        var run = pipeline.Run(new RunOptions { OutputRoot = output.Path, Assets = TestCache.Assets, RunName = "r" }, null, _ => { }, "test");
        string report = File.ReadAllText(run.ReportPath);
        Assert.Contains("Target: the kernel methods reach ≥ 90% — met", report);
        Assert.Contains("within the 1e-6 tolerance", report);
        foreach (var plot in new[] { "decision-boundaries", "mlp-hand-vs-torch", "mlp-learning-rates", "mlp-batch-sizes" })
            Assert.True(new FileInfo(Path.Combine(run.RunFolder, "plots", plot + ".png")).Length > 10_000, $"{plot}.png is missing or tiny");
        Assert.True(File.Exists(Path.Combine(run.RunFolder, "metrics.json")));
        Assert.Equal(9, run.SummaryRows.Count); // six ML.NET models, two MLPs, the MLP on MNIST
    }

    [Fact]
    public void A_tiny_digits_transfer_run_writes_the_four_panels_and_the_tables()
    {
        using var output = new TemporaryFolder("digits");
        var pipeline = PipelineKinds.Parse("""
            experiment: digits-transfer
            name: digits-tiny
            seeds: 2
            samples-per-class: [1, 2]
            augmentations: [none, mixup, collage]
            channels: [4, 8]
            pretrain: {min-steps: 3, max-steps: 3}
            fine-tune: {train-per-class: 5, test-per-class: 5, steps: 10}
            """, "tiny.yaml");
        var run = pipeline.Run(new RunOptions { OutputRoot = output.Path, Assets = TestCache.Assets, RunName = "r" }, null, _ => { }, "test");
        string report = File.ReadAllText(run.ReportPath);
        Assert.Contains("EMNIST", report);
        foreach (var pair in new[] { "mnist → mnist", "mnist → fashion-mnist", "fashion-mnist → fashion-mnist", "fashion-mnist → mnist" })
            Assert.Contains($"### {pair}", report);
        Assert.Contains(" ± ", report); // two seeds give a standard deviation
        Assert.True(new FileInfo(Path.Combine(run.RunFolder, "plots", "accuracy-vs-s.png")).Length > 20_000);
        Assert.Equal(12, run.SummaryRows.Count); // 4 pairs × 3 augmentations
    }
}
