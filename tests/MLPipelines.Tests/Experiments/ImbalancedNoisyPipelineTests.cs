using System.Globalization;
using System.Text.Json;
using MLPipelines.Pipelines;
using MLPipelines.Torch.Experiments.ImbalancedNoisy;

namespace MLPipelines.Tests.Experiments;

/// <summary>The imbalanced-noisy pipeline: its YAML and a tiny end-to-end run on real CIFAR-10 images.</summary>
public class ImbalancedNoisyPipelineTests
{
    [Fact]
    public void The_built_in_pipeline_has_the_reference_imbalance_and_bad_settings_name_the_file_and_key()
    {
        var definition = Assert.IsType<ImbalancedNoisyDefinition>(PipelineKinds.BuiltIn("imbalanced-noisy"));
        Assert.Equal([4949, 449, 227], definition.Data.Train);
        Assert.Equal([551, 51, 23], definition.Data.Test);
        Assert.Equal(5, definition.LabelIssues.Folds);
        var unknownClass = Assert.Throws<PipelineException>(() => PipelineKinds.Parse(
            "experiment: imbalanced-noisy\nnoise:\n  - {from: kitten, to: automobile, fraction: 0.2}\n", "noisy.yaml"));
        Assert.Contains("noisy.yaml", unknownClass.Message);
        Assert.Contains("noise 'from' 'kitten' is not one of the data classes", unknownClass.Message);
        var counts = Assert.Throws<PipelineException>(() => PipelineKinds.Parse("experiment: imbalanced-noisy\ndata:\n  train: [10, 10]\n", "counts.yaml"));
        Assert.Contains("data 'train' needs 3 counts", counts.Message);
        Assert.Equal(ImbalancedNoisyDefinition.FoldModelKind.Ensemble, definition.LabelIssues.FoldModel);   // it detected with the best precision
        Assert.Equal(0.99, definition.LabelIssues.ThresholdRelabelling.Declared);                           // declared before the results
        var side = Assert.Throws<PipelineException>(() => PipelineKinds.Parse(
            "experiment: imbalanced-noisy\nlabel-issues:\n  frozen-features: {image-size: 16}\n", "side.yaml"));
        Assert.Contains("side.yaml", side.Message);
        Assert.Contains("frozen-features 'image-size'", side.Message);
        // The default ensemble is unchanged by the fine-tune fold model, which has its own pipeline.
        Assert.Equal([ImbalancedNoisyDefinition.FoldModelKind.Convnet, ImbalancedNoisyDefinition.FoldModelKind.FrozenFeatures], definition.LabelIssues.Ensemble);
        var fineTune = Assert.IsType<ImbalancedNoisyDefinition>(PipelineKinds.BuiltIn("imbalanced-noisy-finetune"));
        Assert.Equal([ImbalancedNoisyDefinition.FoldModelKind.Convnet, ImbalancedNoisyDefinition.FoldModelKind.FrozenFeatures, ImbalancedNoisyDefinition.FoldModelKind.FineTune],
            fineTune.LabelIssues.FoldModels());
        Assert.Equal(96, fineTune.LabelIssues.FineTune.ImageSize);
    }

    [Theory]
    [InlineData("ensemble: [convnet]", "label-issues 'ensemble' needs at least two different fold models")]
    [InlineData("ensemble: [convnet, convnet]", "label-issues 'ensemble' needs at least two different fold models")]
    [InlineData("ensemble: [convnet, ensemble]", "label-issues 'ensemble' needs at least two different fold models")]
    [InlineData("ensemble: [convnet, resnet]", "Requested value 'Resnet' was not found")]
    [InlineData("fine-tune: {image-size: 16}", "label-issues fine-tune 'image-size' must be in [32, 512]")]
    [InlineData("fine-tune: {epochs: 0}", "label-issues fine-tune 'epochs'")]
    [InlineData("fine-tune: {backbone: nonet}", "label-issues fine-tune 'backbone': 'nonet' is not a catalog model")]
    [InlineData("fine-tune: {augmentation: \"crop(size=64)\"}", "label-issues fine-tune 'augmentation' must keep the 96×96 size")]
    [InlineData("fine-tune: {learning-rates: [0.01]}", "learning-rates")]
    public void Bad_fold_model_settings_are_one_line_errors_naming_the_file(string setting, string expected)
    {
        var error = Assert.Throws<PipelineException>(() => PipelineKinds.Parse($"experiment: imbalanced-noisy\nlabel-issues:\n  {setting}\n", "folds.yaml"));
        Assert.Contains("folds.yaml", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("\n", error.Message.Trim());
    }

    [Fact]
    public void A_tiny_run_writes_the_report_plots_and_metrics_and_flags_a_divergent_rate_as_diverged()
    {
        using var output = new TemporaryFolder("imbalanced");
        var pipeline = PipelineKinds.Parse("""
            experiment: imbalanced-noisy
            name: imbalanced-tiny
            data: {train: [80, 20, 20], test: [20, 10, 10], validation-fraction: 0.2}
            noise:
              - {from: cat, to: automobile, fraction: 0.2}
              - {from: truck, to: automobile, fraction: 0.1}
            model: {hidden-sizes: [8, 16], epochs: 2, batch-size: 16}
            lr-sweep: {learning-rates: [0.01, 1000], epochs: 1}
            label-issues: {folds: 2, fold-model: ensemble, ensemble: [convnet, frozen-features, fine-tune], frozen-features: {image-size: 128, flip-average: false}, fine-tune: {image-size: 32, epochs: 1, batch-size: 16}, threshold-relabelling: {thresholds: [0.5, 0.9], declared: 0.9}, model: {hidden-sizes: [8, 16], epochs: 2, batch-size: 16, optimizer: adam-w, learning-rate: 0.003, warmup-epochs: 1, augmentation: "hflip(p=0.5), crop(size=32, padding=4)"}}
            """, "tiny.yaml");
        var run = pipeline.Run(new RunOptions { OutputRoot = output.Path, Assets = TestCache.Assets, RunName = "r" }, null, _ => { }, "test");
        string report = File.ReadAllText(run.ReportPath);
        foreach (var section in new[] { "## Naive training collapses", "## Learning-rate sweep", "## Label-issue detection", "## Retraining after cleaning",
                     "Target: balanced training raises test cat recall", "Target: precision ≥ 0.7 at recall ≥ 0.5",
                     "mislabelled 10 of 57 cars, found 5 of 11 cats", "Beat the reference", "**lossy**",
                     "Fold model: **an ensemble**", "**frozen ImageNet features + a linear classifier per fold**", "| **ensemble (mean)** |", "| mean of convnet and fine-tune |", "**a fine-tuned ImageNet network per fold**",
                     "`ensemble: [convnet, frozen-features, fine-tune]`",
                     "frozen-features classifier ≥ 0.999 (in-sample; not the reference's method)",
                     "The reference's threshold rule on out-of-fold probabilities", "| **0.9 (declared)** |", "| 0.5 |" })
            Assert.Contains(section, report);
        foreach (var plot in new[] { "lr-sweep", "label-issues-precision-recall", "confusion-naive", "confusion-balanced-sampler", "confusion-class-weighted-loss" })
            Assert.True(new FileInfo(Path.Combine(run.RunFolder, "plots", plot + ".png")).Length > 10_000, $"{plot}.png is missing or tiny");

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.RunFolder, "metrics.json")));
        var root = metrics.RootElement;
        Assert.Equal(4 + 2, root.GetProperty("injectedErrors").GetInt32());   // 20% of 20 cats, 10% of 20 trucks
        var sweep = root.GetProperty("sweep").EnumerateArray().ToList();
        Assert.False(sweep[0].GetProperty("Diverged").GetBoolean(), "lr 0.01 diverged");
        Assert.True(sweep[1].GetProperty("Diverged").GetBoolean(), "lr 1000 was not detected as diverged");
        Assert.Contains("| 1e+03 |", report);
        Assert.Contains("**diverged**", report);
        var retrained = root.GetProperty("retrained").EnumerateArray().ToList();
        Assert.Equal(5, retrained.Count);                                   // noisy, relabelled, pruned, second network, true labels
        int flagged = root.GetProperty("labelIssues").GetProperty("Flagged").GetInt32();
        int noisyImages = retrained[0].GetProperty("TrainImages").GetInt32();
        Assert.Equal(96, noisyImages);                                      // given labels 86/18/16, 20% stratified validation: 17 + 4 + 3 held out
        Assert.InRange(noisyImages - retrained[2].GetProperty("TrainImages").GetInt32(), 0, flagged);   // pruning removes only flagged images
        var outOfFold = File.ReadAllLines(Path.Combine(run.RunFolder, "out-of-fold.csv"));
        Assert.Equal(1 + 120, outOfFold.Length);                            // header + every training image once
        Assert.StartsWith("image,given,true,p_automobile,p_truck,p_cat,flag_", outOfFold[0]);
        Assert.EndsWith(",p_convnet_automobile,p_convnet_truck,p_convnet_cat,p_frozen-features_automobile,p_frozen-features_truck,p_frozen-features_cat" +
                        ",p_fine-tune_automobile,p_fine-tune_truck,p_fine-tune_cat", outOfFold[0]);
        double P(string[] line, int column) => double.Parse(line[column], CultureInfo.InvariantCulture);
        foreach (var line in outOfFold.Skip(1).Select(l => l.Split(',')))
            for (int c = 0; c < 3; c++)   // the ensemble's probability is the mean of the members' (columns 3-5, then 10-12, 13-15 and 16-18)
                Assert.Equal((P(line, 10 + c) + P(line, 13 + c) + P(line, 16 + c)) / 3, P(line, 3 + c), 1e-5);
        var thresholds = root.GetProperty("labelIssues").GetProperty("thresholdRelabelling").EnumerateArray().ToList();
        Assert.Equal(2, thresholds.Count);
        Assert.True(thresholds[1].GetProperty("declared").GetBoolean());
        Assert.True(thresholds[0].GetProperty("Changed").GetInt32() >= thresholds[1].GetProperty("Changed").GetInt32());   // a lower threshold changes at least as many
        Assert.Equal(4 + 2, outOfFold.Skip(1).Count(line => line.Split(',')[1] != line.Split(',')[2]));   // given ≠ true exactly for the injected errors
        Assert.Equal(7, run.SummaryRows.Count);                             // three balancing rows + four retrained rows
    }
}
