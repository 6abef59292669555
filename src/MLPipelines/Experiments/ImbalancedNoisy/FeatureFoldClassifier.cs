using Microsoft.ML;
using MLPipelines.Evaluation.LabelIssues;
using MLPipelines.Features;
using MLPipelines.Training;

namespace MLPipelines.Experiments.ImbalancedNoisy;

/// <summary>
/// The fold model on frozen features: an ML.NET classifier (e.g. LbfgsMaximumEntropy) fitted on the feature vectors of the
/// training items with their given labels. Its setting (e.g. the L2 weight) is chosen from the trainer's grid on a stratified,
/// seeded tenth of those training items (never on the items it will score), then refitted on all of them.
/// </summary>
public sealed class FeatureFoldClassifier(ClassicTrainer trainer, IReadOnlyList<string> classes, int seed, bool quick)
{
    /// <summary>How many fits run at once (each single-threaded).</summary>
    public int Parallelism { get; init; } = 2;

    /// <summary>The trainer.</summary>
    public ClassicTrainer Trainer => trainer;

    /// <summary>
    /// Fits on <paramref name="features"/>[<paramref name="train"/>] with <paramref name="labels"/> and returns the class
    /// probabilities of <paramref name="score"/>, in order, with the grid point it chose.
    /// </summary>
    public (IReadOnlyList<float[]> Probabilities, string Setting) FitAndScore(IReadOnlyList<float[]> features, IReadOnlyList<int> labels,
        IReadOnlyList<int> train, IReadOnlyList<int> score)
    {
        // The grid is searched on a stratified tenth of the training items; the other nine tenths train each grid point.
        var inner = StratifiedFolds.Assign([.. train.Select(i => labels[i])], 10, seed + 7);
        var fit = new FeatureClassifierTrainer(new MLContext(seed)) { Parallelism = Parallelism }.Fit(
            Set(features, labels, [.. train.Where((_, j) => inner[j] != 0)]), Set(features, labels, [.. train.Where((_, j) => inner[j] == 0)]),
            trainer, quick, seed);
        return (fit.PredictProbabilities(Set(features, labels, score)), fit.Chosen.Description);
    }

    private FeatureSet Set(IReadOnlyList<float[]> features, IReadOnlyList<int> labels, IReadOnlyList<int> items) =>
        new(classes, [.. items.Select(i => features[i])], [.. items.Select(i => classes[labels[i]])], [.. items.Select(i => $"item/{i}")]);
}
