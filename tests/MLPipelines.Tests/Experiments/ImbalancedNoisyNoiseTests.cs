using MLPipelines.Experiments.ImbalancedNoisy;

namespace MLPipelines.Tests.Experiments;

/// <summary>Seeded label-noise injection and the divergence check of the learning-rate sweep.</summary>
public class ImbalancedNoisyNoiseTests
{
    private static readonly int[] Labels = [.. Enumerable.Repeat(0, 100), .. Enumerable.Repeat(1, 50), .. Enumerable.Repeat(2, 20)];

    [Fact]
    public void Noise_relabels_the_exact_fraction_keeps_the_truth_and_repeats_with_the_seed()
    {
        NoiseRule[] rules = [new(From: 2, To: 0, Fraction: 0.2), new(From: 1, To: 0, Fraction: 0.02)];
        var noisy = LabelNoise.Inject(Labels, rules, 3, seed: 5);
        Assert.Equal(Labels, noisy.True);
        Assert.Equal(4, noisy.Count(2, 0));   // 20% of 20 cats
        Assert.Equal(1, noisy.Count(1, 0));   // 2% of 50 trucks
        Assert.Equal(5, noisy.NoisyIndices().Count);
        Assert.All(noisy.NoisyIndices(), i => Assert.Equal(0, noisy.Given[i]));
        Assert.Equal(100, Enumerable.Range(0, Labels.Length).Count(i => noisy.True[i] == 0 && noisy.Given[i] == 0));
        Assert.Equal(noisy.Given, LabelNoise.Inject(Labels, rules, 3, seed: 5).Given);
        Assert.NotEqual(noisy.NoisyIndices(), LabelNoise.Inject(Labels, rules, 3, seed: 6).NoisyIndices());
        // Another truck rate does not move the cats that were picked.
        var moreTrucks = LabelNoise.Inject(Labels, [rules[0], new(1, 0, 0.5)], 3, seed: 5);
        Assert.Equal(noisy.NoisyIndices().Where(i => Labels[i] == 2), moreTrucks.NoisyIndices().Where(i => Labels[i] == 2));
        Assert.Equal(25, moreTrucks.Count(1, 0));
    }

    [Fact]
    public void Bad_noise_rules_are_refused_with_the_rule_named()
    {
        Assert.Contains("fraction 1.5", Assert.Throws<ArgumentException>(() => LabelNoise.Inject(Labels, [new(2, 0, 1.5)], 3, 1)).Message);
        Assert.Contains("2 → 2", Assert.Throws<ArgumentException>(() => LabelNoise.Inject(Labels, [new(2, 2, 0.1)], 3, 1)).Message);
        Assert.Contains("[0, 3)", Assert.Throws<ArgumentException>(() => LabelNoise.Inject(Labels, [new(5, 0, 0.1)], 3, 1)).Message);
        Assert.Contains("same class", Assert.Throws<ArgumentException>(() => LabelNoise.Inject(Labels, [new(2, 0, 0.1), new(2, 1, 0.1)], 3, 1)).Message);
    }

    [Fact]
    public void Divergence_is_a_non_finite_loss_or_a_final_loss_far_above_the_start_never_a_small_number()
    {
        var check = new LossDivergence(Factor: 3);
        double initial = Math.Log(3);
        Assert.False(check.IsDiverged([0.9, 0.5, 0.3], initial));
        Assert.True(check.IsDiverged([0.9, double.NaN], initial));
        Assert.True(check.IsDiverged([double.NaN, 0.0], initial));           // a NaN turned into 0 later must not pass
        Assert.True(check.IsDiverged([double.PositiveInfinity], initial));
        Assert.True(check.IsDiverged([2.0, 5.0], initial));                  // 5 > 3 × 1.0986
        Assert.False(check.IsDiverged([40.0, 1.2], initial));                // a spike that recovered ends below the limit
        Assert.False(check.IsDiverged([3.2], initial));                      // just under 3.296
        Assert.Throws<ArgumentException>(() => check.IsDiverged([], initial));
        Assert.Throws<ArgumentException>(() => check.IsDiverged([1.0], double.NaN));
    }
}
