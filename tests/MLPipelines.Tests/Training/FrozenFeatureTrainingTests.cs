using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using MLPipelines.Catalog;
using MLPipelines.Data;
using MLPipelines.Evaluation;
using MLPipelines.Features;
using MLPipelines.Onnx;
using MLPipelines.Training;

namespace MLPipelines.Tests.Training;

/// <summary>
/// The frozen-feature path on real PACS cartoon images: a small model reaches a sane accuracy, the bottleneck cache is used,
/// and the saved model.zip predicts the same in a separate app that references only stock ML.NET packages.
/// </summary>
public class FrozenFeatureTrainingTests
{
    private sealed record Fixture(DatasetSplit Split, FeaturizerModel Featurizer, FeatureSet Train, FeatureSet Validation, FeatureSet Test);

    // 10 training images per class (8 train + 2 validation) and 30 test images per class.
    private static readonly Lazy<Fixture> Small = new(() =>
    {
        var dataset = ImageFolderDataset.Load(RepositoryPaths.PacsCartoon, new ImageFolderOptions { VerifyImages = false });
        var split = StratifiedSplit.Create(dataset, new SplitOptions { Seed = 42, MaxTrainPerClass = 10, MaxTestPerClass = 30 });
        var card = ModelCatalog.BuiltIn.Get("mobilenetv2-1.0-bn-features");
        var featurizer = FeaturizerModel.ForBackbone(card, new AssetLocator(TestCache.Assets).LocateModel(card), TestCache.Root);
        var extractor = new FeatureExtractor(featurizer, new FeatureCache(TestCache.Root));
        FeatureSet Features(IReadOnlyList<LabeledImage> images) =>
            new(split.Classes, extractor.Extract(images.Select(i => new FeatureRequest(i.Path)).ToList(), "test").Features,
                images.Select(i => i.Label).ToList(), images.Select(i => i.Path).ToList());
        return new Fixture(split, featurizer, Features(split.Train), Features(split.Validation), Features(split.Test));
    });

    [Fact]
    public void Ten_images_per_class_with_frozen_mobilenet_features_beat_chance_by_far_on_held_out_cartoon_images()
    {
        var f = Small.Value;
        Assert.Equal(70, f.Train.Count + f.Validation.Count);
        Assert.Equal(210, f.Test.Count);
        var fit = new FeatureClassifierTrainer(new MLContext(42)).Fit(f.Train, f.Validation, ClassicTrainer.LbfgsMaximumEntropy);
        var metrics = ClassificationMetrics.Compute(fit.PredictProbabilities(f.Test), f.Test.LabelIndices(), f.Test.Classes);

        // Chance is 1/7 = 14%; a full run with 236 training images reaches about 84%.
        Assert.True(metrics.Accuracy >= 0.60, $"test accuracy {metrics.Accuracy:P1} is below the 60% floor");
        Assert.Equal(4, fit.Grid.Count);
        Assert.Contains(fit.Grid, g => g.Setting == fit.Chosen.Description);
        Assert.All(fit.PredictProbabilities(f.Test), p => Assert.Equal(1.0, p.Sum(), 3));
    }

    [Fact]
    public void Grid_fits_on_two_threads_give_the_same_models_as_one_at_a_time()
    {
        var f = Small.Value;
        // SDCA shuffles with the context's random numbers, so a shared context would make the result depend on fit order.
        ClassicTrainer[] trainers = [ClassicTrainer.SdcaMaximumEntropy, ClassicTrainer.LinearSvm];
        var sequential = new FeatureClassifierTrainer(new MLContext(42)) { Parallelism = 1 }.FitAll(f.Train, f.Validation, trainers, seed: 7);
        var parallel = new FeatureClassifierTrainer(new MLContext(42)) { Parallelism = 2 }.FitAll(f.Train, f.Validation, trainers, seed: 7);
        Assert.Equal(2, parallel.Count);
        for (int t = 0; t < trainers.Length; t++)
        {
            Assert.Equal(ClassicTrainerGrid.For(trainers[t]).Count, parallel[t].Grid.Count);
            Assert.Equal(sequential[t].Chosen.Description, parallel[t].Chosen.Description);
            Assert.Equal(sequential[t].Grid.Select(g => (g.Setting, g.ValidationAccuracy, g.ValidationLogLoss)),
                parallel[t].Grid.Select(g => (g.Setting, g.ValidationAccuracy, g.ValidationLogLoss)));
            Assert.Equal(sequential[t].PredictProbabilities(f.Test), parallel[t].PredictProbabilities(f.Test));
        }
        // The two trainers are different models, not one result returned twice.
        Assert.NotEqual(parallel[0].PredictProbabilities(f.Test), parallel[1].PredictProbabilities(f.Test));
    }

    [Fact]
    public void The_per_trainer_continuation_runs_once_per_trainer_on_the_fit_threads_and_sees_the_same_models_as_FitAll()
    {
        var f = Small.Value;
        ClassicTrainer[] trainers = [ClassicTrainer.LbfgsMaximumEntropy, ClassicTrainer.SdcaMaximumEntropy];
        var trainer = new FeatureClassifierTrainer(new MLContext(42)) { Parallelism = 2 };
        int callingThread = Environment.CurrentManagedThreadId;
        // The continuation scores the test set, as a pipeline row does, while the other trainer may still be fitting.
        var rows = trainer.FitAll(f.Train, f.Validation, trainers,
            (i, fit) => (Index: i, fit.Chosen.Trainer, Thread: Environment.CurrentManagedThreadId, Test: fit.PredictProbabilities(f.Test)), seed: 7);
        var plain = trainer.FitAll(f.Train, f.Validation, trainers, seed: 7);

        Assert.Equal([0, 1], rows.Select(r => r.Index));
        Assert.Equal(trainers, rows.Select(r => r.Trainer));
        Assert.All(rows, r => Assert.NotEqual(callingThread, r.Thread));
        for (int t = 0; t < trainers.Length; t++)
            Assert.Equal(plain[t].PredictProbabilities(f.Test), rows[t].Test);
    }

    [Fact]
    public void Features_come_from_the_cache_the_second_time_and_a_changed_image_is_featurized_again()
    {
        var f = Small.Value;
        var extractor = new FeatureExtractor(f.Featurizer, new FeatureCache(TestCache.Root));
        var images = f.Split.Test.Take(5).Select(i => i.Path).ToList();
        var again = extractor.Extract(images.Select(p => new FeatureRequest(p)).ToList(), "again");
        Assert.Equal(5, again.FromCache);
        Assert.Equal(0, again.Computed);

        using var folder = new TemporaryFolder("changed");
        string changed = folder.File("changed.jpg");
        var bytes = File.ReadAllBytes(images[0]);
        File.WriteAllBytes(changed, bytes);
        Assert.Equal(1, extractor.Extract([new FeatureRequest(changed)], "same content").FromCache);
        File.Copy(images[1], changed, overwrite: true);
        var result = extractor.Extract([new FeatureRequest(changed)], "new content");
        Assert.Equal(1, result.FromCache); // same bytes as images[1], which is cached: content, not path, is the key
        TestImages.WritePng(changed, 40, 40, TestImages.Ramp);
        Assert.Equal(1, extractor.Extract([new FeatureRequest(changed)], "really new").Computed);
    }

    [Theory]
    [InlineData(ClassicTrainer.LbfgsMaximumEntropy)]
    [InlineData(ClassicTrainer.LightGbm)]
    public void Model_zip_predicts_the_same_in_an_app_that_references_only_stock_ml_net(ClassicTrainer trainer)
    {
        var f = Small.Value;
        var ml = new MLContext(42);
        var setting = ClassicTrainerGrid.For(trainer, quick: true)[0];
        var classifier = new FeatureClassifierTrainer(ml).FitOne(f.Train, setting);
        using var folder = new TemporaryFolder("zip");
        string zip = Path.Combine(folder.Path, "model.zip");
        ImageClassifierModel.Save(ml, ImageClassifierModel.Compose(ml, f.Featurizer, classifier), zip);

        var images = f.Split.Test.Where((_, i) => i % 15 == 0).ToList();
        var expected = new FeatureClassifierTrainer(ml).PredictProbabilities(classifier,
            new FeatureSet(f.Test.Classes, images.Select(i => f.Test.Features[f.Test.ImagePaths.ToList().IndexOf(i.Path)]).ToList(),
                images.Select(i => i.Label).ToList(), images.Select(i => i.Path).ToList()));

        var predictions = StockConsumer.Predict(zip, images.Select(i => i.Path));
        Assert.Equal(images.Count, predictions.Count);
        for (int i = 0; i < images.Count; i++)
        {
            Assert.Equal(f.Split.Classes, predictions[i].Classes);
            Assert.Equal(f.Split.Classes[ClassificationMetrics.ArgMax(expected[i])], predictions[i].PredictedLabel);
            for (int c = 0; c < expected[i].Length; c++)
                Assert.True(Math.Abs(expected[i][c] - predictions[i].Score[c]) < 1e-4,
                    $"{images[i].Path}: class {c} probability {predictions[i].Score[c]} in the stock app, {expected[i][c]} here");
        }
    }
}

/// <summary>Runs tests/StockModelConsumer (stock ML.NET only) as a separate process.</summary>
internal static class StockConsumer
{
    public sealed record Prediction(string Path, string PredictedLabel, float[] Score, string[]? Classes);

    public static IReadOnlyList<Prediction> Predict(string modelZip, IEnumerable<string> imagePaths)
    {
        string dll = Path.Combine(RepositoryPaths.Root, "tests", "StockModelConsumer", "bin", RepositoryPaths.Configuration, "net10.0", "StockModelConsumer.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var start = new ProcessStartInfo("dotnet", [dll, modelZip, "-"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        foreach (var path in imagePaths)
            process.StandardInput.WriteLine(path);
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"the stock consumer failed: {error}");
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonSerializer.Deserialize<Prediction>(line, options)!).ToList();
    }
}
