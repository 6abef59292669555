using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Transforms;

namespace MLPipelines.Experiments.Circles;

/// <summary>
/// The ML.NET binary classifiers compared on the two circles: a linear SVM (no better than chance here), random Fourier
/// features (<c>ApproximatedKernelMap</c>, a Gaussian kernel) followed by a linear SVM or logistic regression, Local Deep SVM,
/// FastTree, and logistic regression on the raw coordinates. All use one thread and the run's seed.
/// </summary>
public static class CircleBaselines
{
    /// <summary>One model: a name for tables and plots, what it is, and its ML.NET estimator.</summary>
    public sealed record Baseline(string Name, string Description, bool IsKernelMethod, Func<MLContext, IEstimator<ITransformer>> Build);

    /// <summary>The fitted model's scores and the class it predicts over the plot area.</summary>
    public sealed record Result(Baseline Baseline, double TrainAccuracy, double TestAccuracy, TimeSpan FitTime, Func<double[][], int[]> Predict);

    /// <summary>
    /// The compared models. <paramref name="kernelRank"/> random Fourier features approximate exp(−γ‖x − y‖²) with
    /// γ = <paramref name="gamma"/>.
    /// </summary>
    public static IReadOnlyList<Baseline> All(int seed, int kernelRank = 200, float gamma = 2f)
    {
        string rff = $"random Fourier features (rank {kernelRank}, Gaussian γ = {gamma:g3})";
        IEstimator<ITransformer> Kernel(MLContext ml) =>
            ml.Transforms.ApproximatedKernelMap("Features", rank: kernelRank, generator: new GaussianKernel(gamma), seed: seed);
        LinearSvmTrainer Svm(MLContext ml) => ml.BinaryClassification.Trainers.LinearSvm(new LinearSvmTrainer.Options { NumberOfIterations = 100 });
        LbfgsLogisticRegressionBinaryTrainer Logistic(MLContext ml) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(
            new LbfgsLogisticRegressionBinaryTrainer.Options { NumberOfThreads = 1 });
        return
        [
            new("LinearSvm", "linear SVM (Pegasos, 100 iterations) on the raw (x, y)", false, Svm),
            new("RFF + LinearSvm", $"kernel SVM: {rff}, then the linear SVM", true, ml => Kernel(ml).Append(Svm(ml))),
            new("LdSvm", "Local Deep SVM (tree depth 3, 1000 iterations)", true,
                ml => ml.BinaryClassification.Trainers.LdSvm(numberOfIterations: 1000, treeDepth: 3)),
            new("FastTree", "gradient-boosted trees (100 trees, 20 leaves)", false, ml => ml.BinaryClassification.Trainers.FastTree(
                new FastTreeBinaryTrainer.Options { NumberOfTrees = 100, NumberOfLeaves = 20, MinimumExampleCountPerLeaf = 5, NumberOfThreads = 1 })),
            new("Logistic (raw)", "L-BFGS logistic regression on the raw (x, y)", false, Logistic),
            new("RFF + Logistic", $"{rff}, then L-BFGS logistic regression", true, ml => Kernel(ml).Append(Logistic(ml))),
        ];
    }

    /// <summary>Fits <paramref name="baseline"/> on <paramref name="train"/> and scores it on both sets.</summary>
    public static Result Run(MLContext ml, Baseline baseline, TwoCircles train, TwoCircles test)
    {
        var stopwatch = Stopwatch.StartNew();
        var model = baseline.Build(ml).Fit(ToDataView(ml, train.Points, train.Labels));
        var fitTime = stopwatch.Elapsed;
        int[] Predict(double[][] points)
        {
            var scored = model.Transform(ToDataView(ml, points, new int[points.Length]));
            return [.. scored.GetColumn<bool>("PredictedLabel").Select(b => b ? 1 : 0)];
        }
        return new Result(baseline, Accuracy(Predict(train.Points), train.Labels), Accuracy(Predict(test.Points), test.Labels), fitTime, Predict);
    }

    /// <summary>Fraction of equal entries.</summary>
    public static double Accuracy(IReadOnlyList<int> predicted, IReadOnlyList<int> labels) =>
        (double)predicted.Where((p, i) => p == labels[i]).Count() / labels.Count;

    private static IDataView ToDataView(MLContext ml, double[][] points, int[] labels) =>
        ml.Data.LoadFromEnumerable(points.Select((p, i) => new Point { Features = [(float)p[0], (float)p[1]], Label = labels[i] == 1 }));

    private sealed class Point
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }
}
