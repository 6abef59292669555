using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace MLPipelines.Training;

/// <summary>
/// The small hyperparameter grids searched on the validation split. They are deliberately small: few-shot training sets have a
/// couple of hundred examples, and every point costs one fit.
/// </summary>
public static class ClassicTrainerGrid
{
    private const string Label = ColumnNames.Label, Features = ColumnNames.Features;

    /// <summary>The grid of <paramref name="trainer"/>; with <paramref name="quick"/>, a single sensible point.</summary>
    public static IReadOnlyList<TrainerSetting> For(ClassicTrainer trainer, bool quick = false, int seed = 42)
    {
        var grid = trainer switch
        {
            ClassicTrainer.LbfgsMaximumEntropy => new[] { 0.01f, 0.1f, 1f, 10f }.Select(l2 => new TrainerSetting(trainer, $"L2={l2:g}",
                ml => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
                {
                    LabelColumnName = Label, FeatureColumnName = Features, L2Regularization = l2, L1Regularization = 0,
                    MaximumNumberOfIterations = 200, NumberOfThreads = 1,
                }))).ToArray(),
            ClassicTrainer.SdcaMaximumEntropy => new[] { 1e-4f, 1e-3f, 1e-2f, 1e-1f }.Select(l2 => new TrainerSetting(trainer, $"L2={l2:g}",
                ml => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
                {
                    LabelColumnName = Label, FeatureColumnName = Features, L2Regularization = l2, L1Regularization = 0,
                    MaximumNumberOfIterations = 100, NumberOfThreads = 1,
                }))).ToArray(),
            ClassicTrainer.LinearSvm => new[] { 1e-4f, 1e-3f, 1e-2f, 1e-1f }.Select(lambda => new TrainerSetting(trainer, $"lambda={lambda:g}",
                ml => ml.MulticlassClassification.Trainers.OneVersusAll(
                    ml.BinaryClassification.Trainers.LinearSvm(new LinearSvmTrainer.Options
                    {
                        FeatureColumnName = Features, Lambda = lambda, NumberOfIterations = 30, PerformProjection = false,
                    }),
                    labelColumnName: Label, useProbabilities: true))).ToArray(),
            // Boosted trees on 1,280 dense features: histogram binning dominates the cost (about 15 s per one-versus-all fit with
            // 255 bins, 5 s with 16 on this 2-core machine), so bins are capped at 32 and the grid varies the learning rate.
            // One thread: LightGBM's and FastTree's worker threads spin while waiting, which slows everything down tenfold
            // when the cores are shared (seen: 112 s instead of 10 s for LightGbm with another build running).
            // FastTree's cost is per split (histograms over all 1,280 features), times 7 one-versus-all models per fit: about
            // 5 s of CPU per fit here, the most expensive trainer of the frozen rows. The grid is the single rate 0.2: it won
            // the former 2-point grid {0.2, 0.4} on validation in every measured pacs-fewshot run (70.2% against 68.1%), and
            // the second point cost a third of the trainer's time (benchmarks/results/pacs-fewshot-frozen-warm-2026-12-02-b.md).
            ClassicTrainer.FastTree => new[] { 0.2 }.Select(rate => new TrainerSetting(trainer, $"trees=50, leaves=4, rate={rate:g}",
                ml => ml.MulticlassClassification.Trainers.OneVersusAll(
                    ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
                    {
                        FeatureColumnName = Features, NumberOfTrees = 50, NumberOfLeaves = 4, MinimumExampleCountPerLeaf = 2,
                        LearningRate = rate, MaximumBinCountPerFeature = 32, NumberOfThreads = 1, Seed = seed,
                    }),
                    labelColumnName: Label, useProbabilities: true))).ToArray(),
            ClassicTrainer.LightGbm => new[] { 0.1, 0.3 }.Select(rate => new TrainerSetting(trainer, $"iterations=100, leaves=4, rate={rate:g}",
                ml => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
                {
                    LabelColumnName = Label, FeatureColumnName = Features, NumberOfIterations = 100, NumberOfLeaves = 4,
                    MinimumExampleCountPerLeaf = 2, LearningRate = rate, MaximumBinCountPerFeature = 32, Seed = seed,
                    NumberOfThreads = 1, Silent = true,
                }))).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(trainer)),
        };
        return quick ? [grid[0]] : grid;
    }

    /// <summary>The ML.NET name of a trainer, as shown in reports.</summary>
    public static string DisplayName(ClassicTrainer trainer) => trainer switch
    {
        ClassicTrainer.LbfgsMaximumEntropy => "LbfgsMaximumEntropy",
        ClassicTrainer.SdcaMaximumEntropy => "SdcaMaximumEntropy",
        ClassicTrainer.LinearSvm => "OneVersusAll(LinearSvm)",
        ClassicTrainer.FastTree => "OneVersusAll(FastTree)",
        ClassicTrainer.LightGbm => "LightGbm",
        _ => trainer.ToString(),
    };
}
