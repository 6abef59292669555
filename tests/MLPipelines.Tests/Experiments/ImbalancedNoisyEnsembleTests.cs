using MLPipelines.Catalog;
using MLPipelines.Data.Cifar10;
using MLPipelines.Evaluation;
using MLPipelines.Evaluation.LabelIssues;
using MLPipelines.Experiments.ImbalancedNoisy;
using MLPipelines.Torch.Experiments.ImbalancedNoisy;
using MLPipelines.Torch;
using MLPipelines.Torch.Training;
using MLPipelines.Training;

namespace MLPipelines.Tests.Experiments;

/// <summary>
/// The ensemble fold model of imbalanced-noisy (a ConvNet and frozen features on the same folds, averaged per image), the
/// ranking's precision-recall curve and the "beat the reference" rule for threshold relabelling.
/// </summary>
public class ImbalancedNoisyEnsembleTests
{
    private static readonly string[] Classes = ["automobile", "truck", "cat"];

    [Fact]
    public void The_ensemble_averages_a_convnet_and_frozen_features_and_every_image_is_scored_only_by_models_that_never_saw_it()
    {
        TorchSharpRuntime.EnsureInitialized();
        var assets = new AssetLocator(TestCache.Assets);
        var set = Cifar10Archive.Read(Cifar10Archive.Locate(assets), new Cifar10Selection { Split = "train", Classes = Classes, MaxPerClass = 12 });
        var images = Enumerable.Range(0, set.Count).Select(set.ToImageTensor).ToList();
        var labels = set.Labels;
        var names = Enumerable.Range(0, set.Count).Select(i => $"cifar/{i}").ToList();
        var features = PretrainedFeatures.Create("mobilenetv2-1.0-bn-features", 128, assets, threads: 2).Extract(images).Features;
        var classifier = new FeatureFoldClassifier(ClassicTrainer.LbfgsMaximumEntropy, Classes, seed: 3, quick: true);
        var network = new SmallConvNetTrainer(new ImbalancedNoisyDefinition.ModelSettings { HiddenSizes = [8, 16], Epochs = 2, BatchSize = 8 }, 2, seed: 3, progress: null);
        DecodedImageSet Subset(IReadOnlyList<int> items) =>
            DecodedImageSet.FromImages([.. items.Select(i => images[i])], [.. items.Select(i => labels[i])], [.. items.Select(i => names[i])], 32);

        const int folds = 3;
        var foldOf = StratifiedFolds.Assign(labels, folds, seed: 3);
        var trainedOn = new Dictionary<string, List<HashSet<int>>> { ["convnet"] = [], ["frozen features"] = [] };
        var scoredBy = new Dictionary<string, int[]> { ["convnet"] = new int[set.Count], ["frozen features"] = new int[set.Count] };
        Func<int, IReadOnlyList<int>, IReadOnlyList<int>, IReadOnlyList<float[]>> Spy(string member,
            Func<IReadOnlyList<int>, IReadOnlyList<int>, IReadOnlyList<float[]>> fitAndScore) => (fold, train, held) =>
        {
            Assert.Equal(fold, trainedOn[member].Count);
            Assert.Empty(train.Intersect(held));
            trainedOn[member].Add([.. train]);
            foreach (int i in held) scoredBy[member][i] = fold + 1;
            return fitAndScore(train, held);
        };
        var ensemble = OutOfFoldEnsemble.Compute(foldOf, folds,
        [
            ("convnet", Spy("convnet", (train, held) =>
            {
                using var model = network.Train(Subset(train), Classes.Length, ClassBalancing.None, "fold");
                return model.Probabilities(Subset(held));
            })),
            ("frozen features", Spy("frozen features", (train, held) => classifier.FitAndScore(features, labels, train, held).Probabilities)),
        ]);

        Assert.Equal(["convnet", "frozen features"], ensemble.Names);
        foreach (var member in trainedOn.Keys)
        {
            Assert.Equal(folds, trainedOn[member].Count);
            for (int i = 0; i < set.Count; i++)
            {
                Assert.Equal(foldOf[i] + 1, scoredBy[member][i]);                   // scored once, by the model of its own fold …
                Assert.DoesNotContain(i, trainedOn[member][foldOf[i]]);            // … which never trained on it
            }
        }
        for (int i = 0; i < set.Count; i++)
        {
            var p = ensemble.Average[i];
            Assert.Equal(3, p.Length);
            Assert.All(p, v => Assert.True(float.IsFinite(v) && v >= 0));
            Assert.Equal(1.0, p.Sum(v => (double)v), 5);
            for (int c = 0; c < 3; c++)
                Assert.Equal((ensemble.Members[0][i][c] + ensemble.Members[1][i][c]) / 2, p[c], 1e-5);
        }
        // The members really differ (two model families), so the mean is not one of them.
        Assert.Contains(Enumerable.Range(0, set.Count), i => Math.Abs(ensemble.Members[0][i][0] - ensemble.Members[1][i][0]) > 0.05);
        // Real behaviour: with ImageNet features in it the ensemble is well above chance (1/3) on images none of its models saw.
        double Accuracy(IReadOnlyList<float[]> p) => ClassificationMetrics.Compute(p, labels, Classes).Accuracy;
        Assert.True(Accuracy(ensemble.Average) > 0.5, $"ensemble out-of-fold accuracy {Accuracy(ensemble.Average):P1} " +
            $"(convnet {Accuracy(ensemble.Members[0]):P1}, frozen features {Accuracy(ensemble.Members[1]):P1})");
    }

    [Fact]
    public void Members_with_different_class_counts_or_no_member_are_errors()
    {
        int[] foldOf = [0, 1, 0, 1];
        var mismatch = Assert.Throws<ArgumentException>(() => OutOfFoldEnsemble.Compute(foldOf, 2,
        [
            ("two", (_, _, held) => [.. held.Select(_ => new[] { 0.5f, 0.5f })]),
            ("three", (_, _, held) => [.. held.Select(_ => new[] { 0.2f, 0.3f, 0.5f })]),
        ]));
        Assert.Contains("fold model 'three' scores 3 classes, 'two' 2", mismatch.Message);
        Assert.Throws<ArgumentException>(() => OutOfFoldEnsemble.Compute(foldOf, 2, []));
    }

    [Fact]
    public void The_ranking_curve_scores_every_top_n_cut_against_the_truly_mislabelled_items()
    {
        // Given label 0 for all; normalized margins p0 − p1: 0.8, −0.6, 0.2, −0.2, 0.6 → order 1, 3, 2, 4, 0.
        float[][] probabilities = [[0.9f, 0.1f], [0.2f, 0.8f], [0.6f, 0.4f], [0.4f, 0.6f], [0.8f, 0.2f]];
        var learning = ConfidentLearning.Compute(probabilities, [0, 0, 0, 0, 0], 2);
        bool[] noisy = [false, true, true, false, false];
        var curve = RankingCurve.Compute(learning, noisy, LabelQualityScore.NormalizedMargin);
        Assert.Equal([1, 3, 2, 4, 0], curve.Order);
        Assert.Equal([1.0, 0.5, 2.0 / 3, 0.5, 0.4], curve.Precision, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([0.5, 0.5, 1.0, 1.0, 1.0], curve.Recall);
        Assert.Equal(1, curve.CutAtRecall(0.5));
        Assert.Equal(3, curve.CutAtRecall(0.75));
        Assert.Equal(2.0 / 3, curve.BestPrecisionAtRecall(0.75), 12);
        // Self-confidence p0: 0.9, 0.2, 0.6, 0.4, 0.8 → the same order here.
        Assert.Equal([1, 3, 2, 4, 0], RankingCurve.Compute(learning, noisy, LabelQualityScore.SelfConfidence).Order);
    }

    [Fact]
    public void A_relabelling_beats_the_reference_only_with_fewer_wrong_changes_and_more_found_by_rate()
    {
        // The reference: 10 of 57 car changes wrong (17.5%), 5 of 11 cats found (45.5%).
        Assert.True(ImbalancedNoisyReport.BeatsReference(new RelabellingAudit(Changed: 20, WronglyChanged: 2, Hidden: 45, Found: 21)));
        Assert.False(ImbalancedNoisyReport.BeatsReference(new RelabellingAudit(Changed: 20, WronglyChanged: 4, Hidden: 45, Found: 30)));   // 20% wrong
        Assert.False(ImbalancedNoisyReport.BeatsReference(new RelabellingAudit(Changed: 20, WronglyChanged: 0, Hidden: 45, Found: 20)));   // 44% found
        Assert.False(ImbalancedNoisyReport.BeatsReference(new RelabellingAudit(Changed: 0, WronglyChanged: 0, Hidden: 45, Found: 0)));     // changing nothing
    }
}
