using MLPipelines.Catalog;
using MLPipelines.Data.Cifar10;
using MLPipelines.Evaluation;
using MLPipelines.Evaluation.LabelIssues;
using MLPipelines.Torch;
using MLPipelines.Torch.Experiments.ImbalancedNoisy;
using MLPipelines.Torch.Training;

namespace MLPipelines.Tests.Experiments;

/// <summary>The fine-tune fold models of imbalanced-noisy: the pretrained MobileNetV2 fully fine-tuned per fold on upsampled CIFAR images.</summary>
public class ImbalancedNoisyFineTuneFoldTests
{
    private static readonly string[] Classes = ["automobile", "truck", "cat"];

    [Fact]
    public void Every_image_gets_one_out_of_fold_distribution_from_a_fine_tuned_network_that_never_saw_it_and_it_beats_chance()
    {
        TorchSharpRuntime.EnsureInitialized();
        var assets = new AssetLocator(TestCache.Assets);
        var set = Cifar10Archive.Read(Cifar10Archive.Locate(assets), new Cifar10Selection { Split = "train", Classes = Classes, MaxPerClass = 16 });
        var labels = set.Labels;
        var images = DecodedImageSet.FromImages([.. Enumerable.Range(0, set.Count).Select(set.ToImageTensor)], labels,
            [.. Enumerable.Range(0, set.Count).Select(i => $"cifar10/train/{Classes[labels[i]]}/{set.Numbers[i]:D4}")], Cifar10Set.Side);
        var settings = new ImbalancedNoisyDefinition.FineTuneFoldSettings { ImageSize = 96, Epochs = 4, BatchSize = 8, LearningRate = 0.003 };
        var trainer = new FineTuneFoldTrainer(settings, settings.Epochs, seed: 5, TestCache.Assets, progress: null);
        var upsampled = trainer.Upsample(images);
        Assert.Equal(96, upsampled.Size);
        Assert.Equal(labels, upsampled.Labels.ToArray());

        const int folds = 3;
        var foldOf = StratifiedFolds.Assign(labels, folds, seed: 5);
        var trainedOn = new List<HashSet<string>>();
        var scoredIn = new int[set.Count];
        var outOfFold = OutOfFoldPredictions.Compute(foldOf, folds, (fold, train, held) =>
        {
            var trainImages = upsampled.Subset(train);
            var heldImages = upsampled.Subset(held);
            trainedOn.Add([.. trainImages.Paths]);
            Assert.Empty(trainImages.Paths.Intersect(heldImages.Paths));
            foreach (int i in held) scoredIn[i]++;
            return trainer.FitAndScore(trainImages, heldImages, Classes.Length, $"fold {fold + 1}", seedOffset: fold);
        });
        Assert.All(scoredIn, n => Assert.Equal(1, n));
        for (int i = 0; i < set.Count; i++)
            Assert.DoesNotContain(upsampled.Paths[i], trainedOn[foldOf[i]]);   // the network that scored it never trained on it
        Assert.All(outOfFold, p => Assert.Equal(1.0, p.Sum(v => (double)v), 3));

        // Real behaviour: 32 images per fold, 16 steps of fine-tuning the ImageNet network, beat chance (1/3) on the held-out third.
        var quality = ClassificationMetrics.Compute(outOfFold, labels, Classes);
        Assert.True(quality.Accuracy > 0.5, $"out-of-fold accuracy {quality.Accuracy:P1}");
    }

    [Fact]
    public void Images_at_another_side_than_the_fine_tuning_side_are_an_error()
    {
        var image = new MLPipelines.Imaging.ImageTensor(32, 32);
        var images = DecodedImageSet.FromImages([image, image], [0, 1], ["a", "b"]);
        var trainer = new FineTuneFoldTrainer(new ImbalancedNoisyDefinition.FineTuneFoldSettings { ImageSize = 64 }, 1, 5, TestCache.Assets, null);
        var error = Assert.Throws<ArgumentException>(() => trainer.FitAndScore(images, images, 2, "t", 0));
        Assert.Contains("expected 64 (call Upsample first)", error.Message);
    }
}
