using TorchSharp;

namespace MLPipelines.Torch.Training;

/// <summary>
/// Leslie Smith's learning-rate range test: train for a number of steps while the learning rate grows exponentially from
/// <c>minRate</c> to <c>maxRate</c>, record the loss (smoothed exponentially with bias correction, as fastai), and stop once it
/// diverges (four times the lowest smoothed loss). The network's weights are restored afterwards. The same options as
/// training decide the optimizer, the frozen layers, augmentation and loss.
/// </summary>
public sealed class LearningRateFinder(ImageClassificationTrainer.Options options)
{
    /// <summary>Runs the range test on <paramref name="train"/>.</summary>
    public LearningRateFinderResult Run(ITrainableNetwork network, DecodedImageSet train, int classCount, Normalization normalization,
        double minRate = 1e-6, double maxRate = 1, int steps = 100, double smoothing = 0.98)
    {
        if (!(minRate > 0 && maxRate > minRate) || steps < 2)
            throw new ArgumentException($"learning-rate finder: need 0 < minRate < maxRate and at least 2 steps (got {minRate}, {maxRate}, {steps})");
        TorchSharpRuntime.EnsureInitialized();
        torch.set_num_threads(options.Threads);
        var initial = NetworkTrainer.Save(network.Module);
        bool frozen = NetworkTrainer.BackboneFrozenAt(options, 1);
        if (frozen) network.FreezeBackbone(); else network.UnfreezeBackbone();
        var (optimizer, groupRates) = OptimizerFactory.Create(options, network, frozen);
        var augmentation = options.ResolveAugmentation();
        var batchAugmentation = options.ResolveBatchAugmentation();
        using var classWeights = options.ClassWeights == ClassWeighting.Balanced
            ? torch.tensor(SoftTargetCrossEntropy.BalancedClassWeights(train.Labels, classCount))
            : null;
        var rates = new List<double>();
        var losses = new List<double>();
        var smoothed = new List<double>();
        double average = 0, best = double.PositiveInfinity;
        try
        {
            network.SetTraining(true);
            torch.manual_seed(TrainingSeeds.Derive(options.Seed, "lr-finder"));
            for (int pass = 1; rates.Count < steps; pass++)
            {
                var order = Enumerable.Range(0, train.Count).ToArray();
                TrainingSeeds.Random(options.Seed, "lr-finder-shuffle", pass).Shuffle(order);
                using var loader = new BatchLoader(train, order, options.BatchSize, classCount, normalization, augmentation,
                    batchAugmentation, options.Seed, -pass, options.PrefetchBatches);
                foreach (var batch in loader.Batches())
                {
                    int step = rates.Count;
                    double rate = minRate * Math.Pow(maxRate / minRate, step / (double)(steps - 1));
                    OptimizerFactory.SetRates(optimizer, groupRates, rate / options.EffectiveLearningRate);
                    var (loss, _) = NetworkTrainer.Step(network.Module.forward, optimizer, batch, classCount, options.LabelSmoothing, classWeights);
                    average = smoothing * average + (1 - smoothing) * loss;
                    double debiased = average / (1 - Math.Pow(smoothing, step + 1));
                    rates.Add(rate);
                    losses.Add(loss);
                    smoothed.Add(debiased);
                    options.Progress?.Report(new ProgressUpdate("learning-rate finder", step + 1, steps,
                        FormattableString.Invariant($"lr {rate:0.##e+0}, loss {debiased:0.000}")));
                    best = Math.Min(best, debiased);
                    if (double.IsNaN(loss) || debiased > 4 * best || rates.Count >= steps)
                        return LearningRateFinderResult.From(rates, losses, smoothed);
                }
            }
            return LearningRateFinderResult.From(rates, losses, smoothed);
        }
        finally
        {
            optimizer.Dispose();
            NetworkTrainer.Load(network.Module, initial);
            network.UnfreezeBackbone();
        }
    }
}
