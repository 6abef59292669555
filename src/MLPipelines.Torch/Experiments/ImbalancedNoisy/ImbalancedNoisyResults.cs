using MLPipelines.Evaluation;
using MLPipelines.Evaluation.LabelIssues;
using MLPipelines.Experiments.ImbalancedNoisy;

namespace MLPipelines.Torch.Experiments.ImbalancedNoisy;

/// <summary>The images of the experiment: class names, training images with true and noisy labels, the validation split, the test set.</summary>
internal sealed record ExperimentData(IReadOnlyList<string> Classes, Training.DecodedImageSet AllTrain, NoisyLabels Labels,
    IReadOnlyList<int> TrainIndices, IReadOnlyList<int> ValidationIndices, Training.DecodedImageSet Test, int[] TrainCounts, int[] TestCounts);

/// <summary>A model trained on the training split and scored: on its training labels, on validation (given labels) and on test (clean).</summary>
internal sealed record ModelEvaluation(string Name, string Description, ClassificationMetrics Train, ClassificationMetrics Validation,
    ClassificationMetrics Test, IReadOnlyList<double> TrainLoss, TimeSpan Time);

/// <summary>One rate of the sweep: the per-epoch training losses and whether the run diverged.</summary>
internal sealed record SweepPoint(double LearningRate, IReadOnlyList<double> EpochLosses, double InitialLoss, bool Diverged, TimeSpan Time)
{
    public double FinalLoss => EpochLosses[^1];
}

/// <summary>
/// The label-issue part: out-of-fold probabilities (each fold model's and, with several, their mean, which is what confident
/// learning uses), confident learning, detection scores, the baseline's relabelling, the reference's threshold rule on the
/// out-of-fold probabilities, and (with frozen-features fold models) the baseline's rule applied to the frozen-features
/// classifier fitted on all images and the grid point each fold's classifier chose.
/// </summary>
internal sealed record LabelIssueResults(OutOfFoldEnsemble FoldModels, FoldQuality FoldQuality, ConfidentLearning Learning,
    IReadOnlyDictionary<LabelIssueMethod, bool[]> Flags, int[] Relabelled, int[] BaselineLabels, int[]? FeatureBaselineLabels,
    IReadOnlyList<ThresholdRelabelling> ThresholdRelabellings, IReadOnlyList<string> FoldSettings, TimeSpan FoldTime, TimeSpan BaselineTime)
{
    /// <summary>The out-of-fold probabilities confident learning works on.</summary>
    public IReadOnlyList<float[]> OutOfFold => FoldModels.Average;
}

/// <summary>The labels after the reference's rule at <paramref name="Threshold"/> on the out-of-fold probabilities.</summary>
internal sealed record ThresholdRelabelling(double Threshold, int[] Labels);

/// <summary>
/// How good the out-of-fold probabilities are, which decides whether confident learning can work: arg-max accuracy against the
/// given (noisy) labels, which is all a user could measure, and against the true labels (per-class recall shows how shy of the
/// rare classes the fold models are).
/// </summary>
internal sealed record FoldQuality(ClassificationMetrics AgainstGiven, ClassificationMetrics AgainstTruth)
{
    public static FoldQuality Compute(IReadOnlyList<float[]> outOfFold, IReadOnlyList<int> given, IReadOnlyList<int> truth, IReadOnlyList<string> classes) =>
        new(ClassificationMetrics.Compute(outOfFold, given, classes), ClassificationMetrics.Compute(outOfFold, truth, classes));
}
