using System.Text.Json;
using MLPipelines.Pipelines;

namespace MLPipelines.Tests.Pipelines;

/// <summary>pacs-fewshot end to end in quick mode: every promised output is written and the numbers are sane.</summary>
public class ExperimentRunnerTests
{
    [Fact]
    public void Quick_pacs_fewshot_writes_report_metrics_splits_figures_and_a_model_zip_per_row()
    {
        using var output = new TemporaryFolder("run");
        var definition = PipelineDefinition.BuiltIn("pacs-fewshot");
        var run = new ExperimentRunner().Run(definition, new RunOptions
        {
            Quick = true, OutputRoot = output.Path, RunName = "test", Assets = TestCache.Assets,
        }, "test");

        Assert.Equal(Path.Combine(output.Path, "pacs-fewshot", "test"), run.RunFolder);
        foreach (var file in new[] { "report.md", "metrics.json", "split-train.csv", "split-validation.csv", "split-test.csv" })
            Assert.True(File.Exists(Path.Combine(run.RunFolder, file)), $"{file} is missing");
        // pixel baseline, 5 frozen trainers, TTA, augmented copies; scratch, head-only, full, full + augmentation,
        // full + light augmentation + TTA, and the best recipe (an ensemble of the three full fine-tunes)
        Assert.Equal(14, run.Results.Count);
        foreach (var result in run.Results)
        {
            Assert.True(File.Exists(Path.Combine(run.RunFolder, result.ModelPath!)), $"{result.ModelPath} is missing");
            Assert.Equal(140, result.TestImages.Count);
        }
        Assert.True(run.Results.Max(r => r.Test.Accuracy) > 0.6, "the best frozen model should be far above chance (14%)");
        Assert.True(run.Results.Single(r => r.Method.StartsWith("from scratch")).Test.Accuracy < run.Results.Max(r => r.Test.Accuracy));

        string report = File.ReadAllText(run.ReportPath);
        foreach (var section in new[] { "## Results", "## Reference results", "## Dataset", "### Normalization", "### Skipped files", "### Confusion matrix", "### Misclassified test images" })
            Assert.Contains(section, report);
        Assert.Contains("49.4%", report); // the reference numbers
        Assert.Matches(@"peak memory \d+(\.\d)? (MiB|GiB)", report);
        // Fine-tuned rows are refitted on training + validation images (unless the row says refit: false); the TTA row
        // averages over flips in its ONNX graph.
        Assert.Matches(@"refit on \d+ images", run.Results.Single(r => r.Method == "full fine-tune").Setting);
        var flipAveraged = run.Results.Single(r => r.Method.StartsWith("full fine-tune + light augmentation"));
        Assert.DoesNotContain("refit", flipAveraged.Setting);
        Assert.Contains("flip TTA", flipAveraged.Setting);
        Assert.EndsWith("network-flip-tta.onnx", flipAveraged.ScoringNetworkPath);
        Assert.True(File.Exists(Path.Combine(run.RunFolder, flipAveraged.ScoringNetworkPath!)));
        // The recipe row is one ONNX graph over the three full fine-tunes (its model.zip was checked to exist above).
        var recipe = run.Results.Single(r => r.Method.StartsWith("best recipe"));
        var members = run.Results.Where(r => r.Method.StartsWith("full fine-tune")).ToList();
        Assert.Equal(3, members.Count);
        Assert.True(double.IsNaN(recipe.ValidationAccuracy)); // two members were refit on the validation images
        Assert.True(File.Exists(Path.Combine(run.RunFolder, recipe.ScoringNetworkPath!)));
        Assert.All(recipe.TestProbabilities, p => Assert.Equal(1, p.Sum(), 1e-4));
        // Quick mode trains two members at 64 px and the reference-pacs one at 224 px, so the recipe's graph resizes the 224 px
        // input for two of them, which ML.NET's own resize to 64 px does not match exactly. The two 64 px members combined
        // alone must reproduce the mean of their own test probabilities.
        var small = members.Where(m => !m.Method.Contains("reference-pacs")).ToList();
        var pair = MLPipelines.Onnx.OnnxEnsemble.AverageProbabilities(
            small.Select(m => MLPipelines.Onnx.OnnxModelFile.Load(Path.Combine(run.RunFolder, m.ScoringNetworkPath!))).ToList(), "Pixels", "Logits");
        string pairPath = Path.Combine(output.Path, "pair.onnx");
        MLPipelines.Onnx.OnnxModelFile.Save(pair, pairPath);
        var mlContext = new Microsoft.ML.MLContext(1);
        var pairModel = MLPipelines.Torch.Training.ImageClassificationTrainer.ScoringModel(mlContext, pairPath, recipe.Test.Classes, 64);
        var images = mlContext.Data.LoadFromEnumerable(recipe.TestImages.Select(i => new MLPipelines.Training.ImageClassifierModel.ImageInput { ImagePath = i.Path }));
        var pairProbabilities = Microsoft.ML.Data.ColumnCursorExtensions.GetColumn<float[]>(pairModel.Transform(images), "Score").ToList();
        for (int i = 0; i < pairProbabilities.Count; i++)
            for (int k = 0; k < pairProbabilities[i].Length; k++)
                Assert.Equal(small.Average(m => m.TestProbabilities[i][k]), pairProbabilities[i][k], 1e-4);
        Assert.Contains("gradcam-misclassified.png", report); // Grad-CAM of fine-tuned rows' mistakes (existence checked below)
        Assert.Contains("filters-after.png", report);          // first-layer filters before and after training
        foreach (var link in System.Text.RegularExpressions.Regex.Matches(report, @"\]\(([^)]+\.(png|zip|csv))\)").Select(m => m.Groups[1].Value))
            Assert.True(File.Exists(Path.Combine(run.RunFolder, link)), $"the report links to {link}, which does not exist");

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.RunFolder, "metrics.json")));
        Assert.Equal("pacs-fewshot", metrics.RootElement.GetProperty("pipeline").GetString());
        Assert.Equal(14, metrics.RootElement.GetProperty("methods").GetArrayLength());
        Assert.True(metrics.RootElement.GetProperty("peakResidentBytes").GetInt64() > 100 << 20);
        Assert.Equal(3, metrics.RootElement.GetProperty("normalization").GetProperty("computed")[0].GetProperty("mean").GetArrayLength());
    }

    [Fact]
    public void Frozen_rows_run_side_by_side_give_the_same_numbers_every_time_and_kinds_selects_them()
    {
        using var output = new TemporaryFolder("run");
        var definition = PipelineDefinition.BuiltIn("pacs-fewshot");
        RunOptions Options(string name) => new()
        {
            Quick = true, OutputRoot = output.Path, RunName = name, Assets = TestCache.Assets, Kinds = ["pixel-baseline", "frozen-features"],
        };
        // The three classic methods (pixel baseline, frozen trainers + TTA, augmented copies) form one group that runs at once.
        var groups = ExperimentRunner.ConcurrentGroups(ExperimentRunner.SelectMethods(definition, Options("groups")));
        Assert.Equal([3], groups.Select(g => g.Count));
        Assert.Equal([3, 1, 1, 1, 1, 1, 1], ExperimentRunner.ConcurrentGroups(definition.Methods).Select(g => g.Count));

        var first = new ExperimentRunner().Run(definition, Options("first"), "test");
        var second = new ExperimentRunner().Run(definition, Options("second"), "test");
        // pixel baseline, 5 frozen trainers, TTA, augmented copies: in the pipeline's order whatever finished first.
        Assert.Equal(8, first.Results.Count);
        Assert.StartsWith("from scratch", first.Results[0].Method);
        Assert.Contains("augmented copies", first.Results[^1].Method);
        Assert.Equal(first.Results.Select(r => r.Method), second.Results.Select(r => r.Method));
        Assert.Equal(first.Results.Select(r => r.TestProbabilities), second.Results.Select(r => r.TestProbabilities));
        Assert.Equal(first.Results.Select(r => r.ValidationAccuracy), second.Results.Select(r => r.ValidationAccuracy));
    }
}
