using MLPipelines.Torch;
using MLPipelines.Torch.Training;
using TorchSharp;

namespace MLPipelines.Tests.Torch.Training;

/// <summary>Loss, sampler and learning-rate schedules against hand computations.</summary>
public class TrainingMathTests
{
    [Fact]
    public void Soft_target_cross_entropy_with_smoothing_and_class_weights_equals_the_hand_computation()
    {
        TorchSharpRuntime.EnsureInitialized();
        float[] logits = [1, 2, 3, 0.5f, -1, 2];
        float[] targets = [0.2f, 0.3f, 0.5f, 0, 1, 0];
        float[] weights = [1, 2, 3];
        using var z = torch.tensor(logits, [2, 3]);
        using var t = torch.tensor(targets, [2, 3]);
        using var w = torch.tensor(weights);

        double Expected(double smoothing, bool weighted)
        {
            double sum = 0, weightSum = 0;
            for (int i = 0; i < 2; i++)
            {
                double logSum = Math.Log(Enumerable.Range(0, 3).Sum(c => Math.Exp(logits[i * 3 + c])));
                double loss = 0, imageWeight = 0;
                for (int c = 0; c < 3; c++)
                {
                    double target = (1 - smoothing) * targets[i * 3 + c] + smoothing / 3;
                    loss -= target * (logits[i * 3 + c] - logSum);
                    imageWeight += targets[i * 3 + c] * weights[c];
                }
                double weight = weighted ? imageWeight : 1;
                sum += weight * loss;
                weightSum += weight;
            }
            return sum / weightSum;
        }

        Assert.Equal(Expected(0, false), SoftTargetCrossEntropy.Compute(z, t).item<float>(), 5);
        Assert.Equal(Expected(0.1, false), SoftTargetCrossEntropy.Compute(z, t, 0.1).item<float>(), 5);
        Assert.Equal(Expected(0.1, true), SoftTargetCrossEntropy.Compute(z, t, 0.1, w).item<float>(), 5);
        // One-hot targets without smoothing reduce to torch's own cross-entropy.
        using var hard = torch.tensor(new long[] { 2, 1 });
        using var oneHot = torch.nn.functional.one_hot(hard, 3).to(torch.float32);
        using var reference = torch.nn.functional.cross_entropy(z, hard);
        Assert.Equal(reference.item<float>(), SoftTargetCrossEntropy.Compute(z, oneHot).item<float>(), 5);
    }

    [Fact]
    public void A_selection_window_judges_each_epoch_by_the_mean_of_the_last_epochs_so_a_lucky_early_spike_does_not_win()
    {
        double[] accuracies = [0.50, 0.90, 0.60, 0.80, 0.85, 0.85];
        int Best(int window)
        {
            var stopping = new EarlyStopping(EarlyStoppingMetric.Accuracy, patience: null, minDelta: 0, window);
            for (int e = 0; e < accuracies.Length; e++) stopping.Update(e + 1, accuracies[e], 1.0 - accuracies[e]);
            return stopping.BestEpoch;
        }
        Assert.Equal(2, Best(window: 1));
        // Means over the last three epochs: 0.50, 0.70, 0.667, 0.767, 0.75, 0.833.
        Assert.Equal(6, Best(window: 3));
        var resumed = new EarlyStopping(EarlyStoppingMetric.Accuracy, null, 0, window: 3);
        resumed.Remember(accuracies.Take(4).Select((a, i) => new EpochMetrics(i + 1, 0, 0, 1 - a, a, 0, 0, 0)));
        resumed.Update(5, 0.85, 0.15);
        Assert.Equal((0.80 + 0.85 + 0.85) / 3, resumed.Update(6, 0.85, 0.15) ? resumed.BestAccuracy : double.NaN, 12);
    }

    [Fact]
    public void Balanced_class_weights_are_n_over_k_times_class_count()
    {
        Assert.Equal([4f / (2 * 3), 4f / (2 * 1)], SoftTargetCrossEntropy.BalancedClassWeights([0, 0, 0, 1], 2));
    }

    [Fact]
    public void The_balanced_sampler_draws_every_class_about_equally_often_from_a_90_10_dataset()
    {
        var labels = Enumerable.Repeat(0, 900).Concat(Enumerable.Repeat(1, 100)).Concat(Enumerable.Repeat(2, 20)).ToList();
        var draws = new ClassBalancedSampler(labels).Draw(30000, new Random(5));
        var frequency = draws.GroupBy(i => labels[i]).ToDictionary(g => g.Key, g => g.Count() / 30000.0);
        Assert.All(frequency.Values, f => Assert.InRange(f, 1 / 3.0 - 0.02, 1 / 3.0 + 0.02));
        // Within the rare class, every image is drawn (about 500 times each).
        Assert.Equal(20, draws.Where(i => labels[i] == 2).Distinct().Count());
        Assert.Equal(draws, new ClassBalancedSampler(labels).Draw(30000, new Random(5)));
    }

    [Fact]
    public void Step_exponential_cosine_and_one_cycle_rates_match_hand_computed_values()
    {
        var step = new LearningRateSchedule(LearningRateScheduleKind.Step, epochs: 10, stepsPerEpoch: 2, 0.1, gamma: 0.5, stepEpochs: 3);
        Assert.Equal([1, 1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25], Enumerable.Range(0, 13).Select(step.Factor));

        var exponential = new LearningRateSchedule(LearningRateScheduleKind.Exponential, 10, 2, 0.1, gamma: 0.9);
        Assert.Equal(0.81, exponential.Factor(4), 12);
        Assert.Equal(0.81, exponential.Factor(5), 12);

        // 4 epochs × 2 steps, 1 warm-up epoch: steps 0-1 ramp linearly, steps 2-7 follow half a cosine period over 6 steps.
        var cosine = new LearningRateSchedule(LearningRateScheduleKind.Cosine, 4, 2, 0.1, warmupEpochs: 1);
        Assert.Equal(0.5, cosine.Factor(0), 12);
        Assert.Equal(1.0, cosine.Factor(1), 12);
        Assert.Equal(1.0, cosine.Factor(2), 12);
        Assert.Equal(0.5, cosine.Factor(5), 12);
        Assert.Equal(0.5 * (1 + Math.Cos(5 * Math.PI / 6)), cosine.Factor(7), 12);
        var floor = new LearningRateSchedule(LearningRateScheduleKind.Cosine, 4, 2, 0.1, minLearningRate: 0.01);
        Assert.Equal(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 7 / 8)), floor.Factor(7), 12);

        // torch OneCycleLR(max_lr=1, total_steps=10): 0.04 → 1 at step 2 (pct_start 0.3) → 4e-6 at step 9.
        var oneCycle = new LearningRateSchedule(LearningRateScheduleKind.OneCycle, 5, 2, 1);
        Assert.Equal(0.04, oneCycle.Factor(0), 12);
        Assert.Equal(0.52, oneCycle.Factor(1), 12);
        Assert.Equal(1.0, oneCycle.Factor(2), 12);
        Assert.Equal(4e-6, oneCycle.Factor(9), 12);
        Assert.Equal(4e-6 + (1 - 4e-6) / 2 * (1 + Math.Cos(Math.PI * 4 / 7)), oneCycle.Factor(6), 12);
    }

    [Fact]
    public void Reduce_on_plateau_multiplies_by_gamma_after_patience_epochs_without_improvement()
    {
        var plateau = new LearningRateSchedule(LearningRateScheduleKind.ReduceOnPlateau, 10, 3, 0.1, gamma: 0.1, plateauPatience: 1);
        var factors = new List<double>();
        foreach (double loss in new[] { 1.0, 1.0, 1.0, 0.5, 0.6, 0.7, 0.4 })
        {
            plateau.EndEpoch(loss);
            factors.Add(plateau.Factor(0));
        }
        // Epoch 3 is the second without improvement (> patience 1): ×0.1; epochs 5-6 again: ×0.01.
        Assert.Equal([1, 1, 0.1, 0.1, 0.1, 0.01, 0.01], factors.Select(f => Math.Round(f, 12)));
    }

    [Theory]
    [InlineData(TrainingMode.Scratch, 0.01)]
    [InlineData(TrainingMode.HeadOnly, 0.01)]
    [InlineData(TrainingMode.Full, 0.001)]
    [InlineData(TrainingMode.Gradual, 0.001)]
    public void The_default_learning_rate_depends_on_the_mode_and_an_explicit_rate_wins(TrainingMode mode, double expected)
    {
        Assert.Equal(expected, new ImageClassificationTrainer.Options { Mode = mode }.EffectiveLearningRate);
        Assert.Equal(0.05, new ImageClassificationTrainer.Options { Mode = mode, LearningRate = 0.05 }.EffectiveLearningRate);
        Assert.Throws<ArgumentException>(() => new ImageClassificationTrainer.Options { Mode = mode, LearningRate = 0 }.Validate());
    }
}
