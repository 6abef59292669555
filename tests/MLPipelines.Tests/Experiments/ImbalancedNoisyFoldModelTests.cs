using MLPipelines.Catalog;
using MLPipelines.Data.Cifar10;
using MLPipelines.Evaluation;
using MLPipelines.Evaluation.LabelIssues;
using MLPipelines.Experiments.ImbalancedNoisy;
using MLPipelines.Training;

namespace MLPipelines.Tests.Experiments;

/// <summary>The frozen-features fold models of imbalanced-noisy: pretrained features of in-memory CIFAR images, linear classifiers per fold.</summary>
public class ImbalancedNoisyFoldModelTests
{
    private static readonly string[] Classes = ["automobile", "truck", "cat"];

    [Fact]
    public void Every_image_gets_one_out_of_fold_distribution_from_a_classifier_that_never_saw_it_and_it_beats_chance()
    {
        var set = Cifar10Archive.Read(Cifar10Archive.Locate(new AssetLocator(TestCache.Assets)), new Cifar10Selection
        {
            Split = "train",
            Classes = Classes,
            MaxPerClass = 12,
        });
        var images = Enumerable.Range(0, set.Count).Select(set.ToImageTensor).ToList();
        var extractor = PretrainedFeatures.Create("mobilenetv2-1.0-bn-features", 128, new AssetLocator(TestCache.Assets), threads: 2);
        var features = extractor.Extract(images).Features;
        Assert.Equal(36, features.Length);
        Assert.All(features, f => Assert.Equal(1280, f.Length));
        Assert.All(features, f => Assert.Contains(f, v => v != 0));

        var labels = set.Labels;
        const int folds = 3;
        var foldOf = StratifiedFolds.Assign(labels, folds, seed: 5);
        var classifier = new FeatureFoldClassifier(ClassicTrainer.LbfgsMaximumEntropy, Classes, seed: 5, quick: true);
        var seenBy = new List<HashSet<int>>();
        var scoredIn = new int[set.Count];
        var outOfFold = OutOfFoldPredictions.Compute(foldOf, folds, (fold, train, held) =>
        {
            Assert.Empty(train.Intersect(held));
            Assert.Equal(set.Count, train.Count + held.Count);
            seenBy.Add([.. train]);
            foreach (int i in held) scoredIn[i]++;
            return classifier.FitAndScore(features, labels, train, held).Probabilities;
        });
        Assert.Equal(folds, seenBy.Count);
        Assert.All(scoredIn, n => Assert.Equal(1, n));
        for (int i = 0; i < set.Count; i++)
            Assert.DoesNotContain(i, seenBy[foldOf[i]]);   // scored by the model of its own fold, which never trained on it
        Assert.All(outOfFold, p => Assert.Equal(1.0, p.Sum(v => (double)v), 3));

        // Real behaviour: ImageNet features separate cars, trucks and cats well above chance (1/3) even with 24 training images per fold.
        var quality = ClassificationMetrics.Compute(outOfFold, labels, Classes);
        Assert.True(quality.Accuracy > 0.6, $"out-of-fold accuracy {quality.Accuracy:P1}");
    }

    [Fact]
    public void A_model_that_returns_the_wrong_number_of_rows_or_no_distribution_is_an_error()
    {
        int[] foldOf = [0, 1, 0, 1];
        var rows = Assert.Throws<InvalidOperationException>(() => OutOfFoldPredictions.Compute(foldOf, 2, (_, _, held) => [[0.5f, 0.5f]]));
        Assert.Contains("expected the 2 held-out ones", rows.Message);
        var notDistribution = Assert.Throws<InvalidOperationException>(() => OutOfFoldPredictions.Compute(foldOf, 2,
            (_, _, held) => [.. held.Select(_ => new[] { 0.7f, 0.7f })]));
        Assert.Contains("not a distribution", notDistribution.Message);
        var empty = Assert.Throws<ArgumentException>(() => OutOfFoldPredictions.Compute(foldOf, 3, (_, _, held) => [.. held.Select(_ => new[] { 1f })]));
        Assert.Contains("fold 3 of 3 holds 0", empty.Message);
    }
}
