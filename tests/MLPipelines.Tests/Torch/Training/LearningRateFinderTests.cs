using MLPipelines.Torch.Training;

namespace MLPipelines.Tests.Torch.Training;

/// <summary>The range test on the tiny CNN: exponential ramp, weights restored, sane suggestions and a plot.</summary>
public class LearningRateFinderTests
{
    [Fact]
    public void The_range_test_ramps_exponentially_restores_the_weights_and_plots_loss_against_rate()
    {
        using var folder = new TemporaryFolder("lr-finder");
        var train = StripeImages.Create(folder, "train", 16, seed: 3);
        var (mean, std) = train.ChannelStatistics();
        using var network = TinyCnn.Network(StripeImages.Classes);
        var before = NetworkTrainer.Save(network.Module);
        var options = new ImageClassificationTrainer.Options { BatchSize = 8, Seed = 5 };

        var result = new LearningRateFinder(options).Run(network, train, StripeImages.Classes, new Normalization(mean, std),
            minRate: 1e-4, maxRate: 10, steps: 40);

        Assert.Equal(before, NetworkTrainer.Save(network.Module));
        Assert.InRange(result.LearningRates.Count, 10, 40);
        Assert.Equal(1e-4, result.LearningRates[0], 12);
        double ratio = Math.Pow(10 / 1e-4, 1.0 / 39);
        for (int i = 1; i < result.LearningRates.Count; i++)
            Assert.Equal(ratio, result.LearningRates[i] / result.LearningRates[i - 1], 9);
        // Smoothing with bias correction: the first smoothed value is the first loss.
        Assert.Equal(result.Losses[0], result.SmoothedLosses[0], 9);
        Assert.Contains(result.SteepestRate, result.LearningRates);
        Assert.InRange(result.MinimumOverTenRate, 1e-5, 1);
        // The loss falls somewhere along the ramp: the lowest smoothed loss is below the starting loss.
        Assert.True(result.SmoothedLosses.Min() < result.SmoothedLosses[0]);

        string png = folder.File("lr-finder.png");
        result.SavePlot(png);
        Assert.True(new FileInfo(png).Length > 1000);
    }
}
