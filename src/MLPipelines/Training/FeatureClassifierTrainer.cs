using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Evaluation;
using MLPipelines.Features;

namespace MLPipelines.Training;

/// <summary>
/// Trains an ML.NET classifier on feature vectors: every point of the trainer's grid is fitted on the training set and scored on
/// the validation set; the best point (validation accuracy, then log-loss) is refitted on train + validation. The result maps
/// <c>Features</c> to <c>Score</c> and <c>PredictedLabel</c>, ready to be appended to a featurizer for a model.zip.
/// </summary>
public sealed class FeatureClassifierTrainer(MLContext mlContext)
{
    /// <summary>Searches the grid of <paramref name="trainer"/> and refits the best setting.</summary>
    public FittedFeatureClassifier Fit(FeatureSet train, FeatureSet validation, ClassicTrainer trainer, bool quick = false, int seed = 42,
        IProgress<ProgressUpdate>? progress = null)
    {
        var grid = ClassicTrainerGrid.For(trainer, quick, seed);
        return Fit(train, validation, grid, progress);
    }

    /// <summary>Searches <paramref name="grid"/> and refits the best setting on train + validation.</summary>
    public FittedFeatureClassifier Fit(FeatureSet train, FeatureSet validation, IReadOnlyList<TrainerSetting> grid,
        IProgress<ProgressUpdate>? progress = null)
    {
        var total = Stopwatch.StartNew();
        string task = $"train {ClassicTrainerGrid.DisplayName(grid[0].Trainer)}";
        var points = new List<GridPoint>();
        var validationLabels = validation.LabelIndices();
        for (int i = 0; i < grid.Count; i++)
        {
            progress?.Report(new ProgressUpdate(task, i, grid.Count + 1, grid[i].Description));
            var watch = Stopwatch.StartNew();
            var model = FitOne(train, grid[i]);
            var probabilities = PredictProbabilities(model, validation);
            var metrics = ClassificationMetrics.Compute(probabilities, validationLabels, validation.Classes);
            points.Add(new GridPoint(grid[i].Description, metrics.Accuracy, metrics.LogLoss, watch.Elapsed));
        }
        int best = Enumerable.Range(0, points.Count)
            .OrderByDescending(i => points[i].ValidationAccuracy)
            .ThenBy(i => double.IsNaN(points[i].ValidationLogLoss) ? double.MaxValue : points[i].ValidationLogLoss)
            .First();
        progress?.Report(new ProgressUpdate(task, grid.Count, grid.Count + 1, $"refit {grid[best].Description}"));
        var final = FitOne(train.Concat(validation), grid[best]);
        progress?.Report(new ProgressUpdate(task, grid.Count + 1, grid.Count + 1));
        return new FittedFeatureClassifier(mlContext, final, grid[best], points, points[best].ValidationAccuracy, total.Elapsed);
    }

    /// <summary>Fits one setting: label → key (class order), standardize features, train, key → class name.</summary>
    public ITransformer FitOne(FeatureSet train, TrainerSetting setting)
    {
        var data = train.ToDataView(mlContext);
        var classNames = mlContext.Data.LoadFromEnumerable(train.Classes.Select(c => new ClassName { Label = c }));
        var labelToKey = mlContext.Transforms.Conversion.MapValueToKey(ColumnNames.Label, ColumnNames.Label, keyData: classNames).Fit(data);
        var keyed = labelToKey.Transform(data);
        // Standardize (fixZero off: subtract the mean too); linear trainers need it, trees ignore it.
        var pipeline = mlContext.Transforms.NormalizeMeanVariance(ColumnNames.Features, fixZero: false)
            .Append(setting.Create(mlContext))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(ColumnNames.PredictedLabel));
        return pipeline.Fit(keyed);
    }

    /// <summary>Class probabilities of every example, in class order.</summary>
    public float[][] PredictProbabilities(ITransformer model, FeatureSet data) =>
        FittedFeatureClassifier.ReadScores(model.Transform(data.ToDataView(mlContext)));

    private sealed class ClassName
    {
        public string Label { get; set; } = "";
    }
}

/// <summary>One evaluated point of a hyperparameter grid.</summary>
public sealed record GridPoint(string Setting, double ValidationAccuracy, double ValidationLogLoss, TimeSpan FitTime);

/// <summary>A trained feature classifier and how it was chosen.</summary>
public sealed class FittedFeatureClassifier(MLContext mlContext, ITransformer model, TrainerSetting chosen, IReadOnlyList<GridPoint> grid,
    double validationAccuracy, TimeSpan trainTime)
{
    /// <summary>Maps <c>Features</c> to <c>Score</c> (probabilities in class order) and <c>PredictedLabel</c>.</summary>
    public ITransformer Model { get; } = model;

    /// <summary>The selected grid point.</summary>
    public TrainerSetting Chosen { get; } = chosen;

    /// <summary>Every grid point with its validation scores.</summary>
    public IReadOnlyList<GridPoint> Grid { get; } = grid;

    /// <summary>Validation accuracy of the selected point (fitted on the training set only).</summary>
    public double ValidationAccuracy { get; } = validationAccuracy;

    /// <summary>Time for the grid search and the refit.</summary>
    public TimeSpan TrainTime { get; } = trainTime;

    /// <summary>Class probabilities of every example.</summary>
    public float[][] PredictProbabilities(FeatureSet data) => ReadScores(Model.Transform(data.ToDataView(mlContext)));

    internal static float[][] ReadScores(IDataView scored) =>
        scored.GetColumn<float[]>(ColumnNames.Score).Select(s => s.ToArray()).ToArray();
}
