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
/// The fits are independent, so they run on <see cref="Parallelism"/> threads at once (each trainer itself single-threaded).
/// Every fit gets its own <see cref="MLContext"/> seeded with the same seed, so a result does not depend on which fits ran
/// before it or beside it: the same seed gives the same models at any parallelism.
/// </summary>
public sealed class FeatureClassifierTrainer(MLContext mlContext)
{
    /// <summary>How many fits run at once; default: the machine's logical cores. Ignored when <see cref="Scheduler"/> is set.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Where the fits run, when several trainers share one limit (a pipeline run's <c>FitScheduler</c>); default: a scheduler
    /// of this trainer's own with <see cref="Parallelism"/> slots.
    /// </summary>
    public TaskScheduler? Scheduler { get; init; }

    /// <summary>Searches the grid of <paramref name="trainer"/> and refits the best setting.</summary>
    public FittedFeatureClassifier Fit(FeatureSet train, FeatureSet validation, ClassicTrainer trainer, bool quick = false, int seed = 42,
        IProgress<ProgressUpdate>? progress = null) =>
        FitAll(train, validation, [trainer], quick, seed, progress)[0];

    /// <summary>
    /// Searches the grids of several <paramref name="trainers"/> together, so that the fits of all of them share the cores:
    /// grid points of every trainer are queued at once (boosted trees first, they are the longest), and each trainer's refit
    /// starts as soon as its own grid is done.
    /// </summary>
    public IReadOnlyList<FittedFeatureClassifier> FitAll(FeatureSet train, FeatureSet validation, IReadOnlyList<ClassicTrainer> trainers,
        bool quick = false, int seed = 42, IProgress<ProgressUpdate>? progress = null) =>
        FitAll(train, validation, trainers, (_, fit) => fit, quick, seed, progress);

    /// <summary>
    /// Like <see cref="FitAll(FeatureSet, FeatureSet, IReadOnlyList{ClassicTrainer}, bool, int, IProgress{ProgressUpdate}?)"/>, and
    /// runs <paramref name="then"/> (trainer index, fitted classifier) on the same scheduler as soon as each trainer's refit is
    /// done, so that per-trainer work such as test scoring and model saving overlaps with the other trainers' fits instead of
    /// waiting for the slowest one. Returns <paramref name="then"/>'s results in trainer order.
    /// </summary>
    public IReadOnlyList<TResult> FitAll<TResult>(FeatureSet train, FeatureSet validation, IReadOnlyList<ClassicTrainer> trainers,
        Func<int, FittedFeatureClassifier, TResult> then, bool quick = false, int seed = 42, IProgress<ProgressUpdate>? progress = null) =>
        FitAll(train, validation, trainers.Select(t => ClassicTrainerGrid.For(t, quick, seed)).ToList(), then, seed, progress);

    /// <summary>Searches <paramref name="grid"/> and refits the best setting on train + validation.</summary>
    public FittedFeatureClassifier Fit(FeatureSet train, FeatureSet validation, IReadOnlyList<TrainerSetting> grid,
        IProgress<ProgressUpdate>? progress = null, int seed = 42) =>
        FitAll(train, validation, [grid], seed, progress)[0];

    /// <summary>Searches each of <paramref name="grids"/> and refits each one's best setting on train + validation, sharing the cores.</summary>
    public IReadOnlyList<FittedFeatureClassifier> FitAll(FeatureSet train, FeatureSet validation, IReadOnlyList<IReadOnlyList<TrainerSetting>> grids,
        int seed = 42, IProgress<ProgressUpdate>? progress = null) =>
        FitAll(train, validation, grids, (_, fit) => fit, seed, progress);

    /// <summary>
    /// Searches each of <paramref name="grids"/>, refits each one's best setting on train + validation, and runs
    /// <paramref name="then"/> (grid index, fitted classifier) on the fits' scheduler right after each refit.
    /// </summary>
    public IReadOnlyList<TResult> FitAll<TResult>(FeatureSet train, FeatureSet validation, IReadOnlyList<IReadOnlyList<TrainerSetting>> grids,
        Func<int, FittedFeatureClassifier, TResult> then, int seed = 42, IProgress<ProgressUpdate>? progress = null)
    {
        if (grids.Any(g => g.Count == 0)) throw new ArgumentException("every grid needs at least one setting");
        var scheduler = Scheduler ?? new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, Math.Max(1, Parallelism)).ConcurrentScheduler;
        var factory = new TaskFactory(CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskContinuationOptions.DenyChildAttach, scheduler);
        var trainAndValidation = train.Concat(validation);
        var validationLabels = validation.LabelIndices();
        var pointTasks = new Task<GridPoint>[grids.Count][];
        // Queue order is start order: the boosted-tree grids (tens of seconds) go first so the short fits fill in around them.
        foreach (int g in Enumerable.Range(0, grids.Count).OrderBy(g => IsBoostedTrees(grids[g][0].Trainer) ? 0 : 1))
        {
            var grid = grids[g];
            var done = new Counter(grid.Count + 1);
            string task = $"train {ClassicTrainerGrid.DisplayName(grid[0].Trainer)}";
            progress?.Report(new ProgressUpdate(task, 0, done.Total, grid[0].Description));
            pointTasks[g] = grid.Select(setting => factory.StartNew(() =>
            {
                var watch = Stopwatch.StartNew();
                var ml = new MLContext(seed);
                var model = FitOne(ml, train, setting);
                var probabilities = FittedFeatureClassifier.ReadScores(model.Transform(validation.ToDataView(ml)));
                var metrics = ClassificationMetrics.Compute(probabilities, validationLabels, validation.Classes);
                progress?.Report(new ProgressUpdate(task, done.Increment(), done.Total, setting.Description));
                return new GridPoint(setting.Description, metrics.Accuracy, metrics.LogLoss, watch.Elapsed);
            })).ToArray();
        }
        var searches = Enumerable.Range(0, grids.Count).Select(g => factory.ContinueWhenAll(pointTasks[g], finished =>
        {
            var points = finished.Select(t => t.Result).ToList();
            int best = Enumerable.Range(0, points.Count)
                .OrderByDescending(i => points[i].ValidationAccuracy)
                .ThenBy(i => double.IsNaN(points[i].ValidationLogLoss) ? double.MaxValue : points[i].ValidationLogLoss)
                .First();
            var watch = Stopwatch.StartNew();
            // The refitted classifier keeps its own context: rows score and save it on scheduler threads, in parallel.
            var refitContext = new MLContext(seed);
            var final = FitOne(refitContext, trainAndValidation, grids[g][best]);
            progress?.Report(new ProgressUpdate($"train {ClassicTrainerGrid.DisplayName(grids[g][0].Trainer)}", grids[g].Count + 1, grids[g].Count + 1));
            // The trainer's own cost: its fits' times added up, whichever fits of other trainers ran beside them.
            var trainTime = points.Aggregate(watch.Elapsed, (sum, p) => sum + p.FitTime);
            return then(g, new FittedFeatureClassifier(refitContext, final, grids[g][best], points, points[best].ValidationAccuracy, trainTime));
        })).ToArray();
        try
        {
            Task.WaitAll(searches);
        }
        catch (AggregateException e)
        {
            // The first failure as itself (e.g. a bad-input exception the command line reports in one line), not wrapped.
            var first = e.Flatten().InnerExceptions.FirstOrDefault(i => i is not TaskCanceledException) ?? e;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
        return searches.Select(t => t.Result).ToList();
    }

    /// <summary>
    /// Fits one setting on a fresh <see cref="MLContext"/> seeded with <paramref name="seed"/>: label → key (class order),
    /// standardize features, train, key → class name.
    /// </summary>
    public ITransformer FitOne(FeatureSet train, TrainerSetting setting, int seed = 42) => FitOne(new MLContext(seed), train, setting);

    private static ITransformer FitOne(MLContext ml, FeatureSet train, TrainerSetting setting)
    {
        var data = train.ToDataView(ml);
        var classNames = ml.Data.LoadFromEnumerable(train.Classes.Select(c => new ClassName { Label = c }));
        var labelToKey = ml.Transforms.Conversion.MapValueToKey(ColumnNames.Label, ColumnNames.Label, keyData: classNames).Fit(data);
        var keyed = labelToKey.Transform(data);
        // Standardize (fixZero off: subtract the mean too); linear trainers need it, trees ignore it.
        IEstimator<ITransformer> normalize = ml.Transforms.NormalizeMeanVariance(ColumnNames.Features, fixZero: false);
        // The linear trainers pass over the data tens to hundreds of times. Uncached, every pass re-runs the normalizer through
        // ML.NET's parallel cursor splitter (background threads copying each row between them); cached, the normalized rows
        // are read from memory: 1.5-4x less CPU per fit, measured. Boosted trees bin the data once, so they skip the cache.
        if (!IsBoostedTrees(setting.Trainer)) normalize = normalize.AppendCacheCheckpoint(ml);
        var pipeline = normalize
            .Append(setting.Create(ml))
            .Append(ml.Transforms.Conversion.MapKeyToValue(ColumnNames.PredictedLabel));
        return pipeline.Fit(keyed);
    }

    /// <summary>Class probabilities of every example, in class order.</summary>
    public float[][] PredictProbabilities(ITransformer model, FeatureSet data) =>
        FittedFeatureClassifier.ReadScores(model.Transform(data.ToDataView(mlContext)));

    private static bool IsBoostedTrees(ClassicTrainer trainer) => trainer is ClassicTrainer.FastTree or ClassicTrainer.LightGbm;

    /// <summary>Finished fits of one grid, counted from several threads.</summary>
    private sealed class Counter(int total)
    {
        private int _done;

        public int Total { get; } = total;

        public int Increment() => Interlocked.Increment(ref _done);
    }

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

    /// <summary>Time of the grid search and the refit: the fits' times added up (some may have run beside other fits).</summary>
    public TimeSpan TrainTime { get; } = trainTime;

    /// <summary>Class probabilities of every example.</summary>
    public float[][] PredictProbabilities(FeatureSet data) => ReadScores(Model.Transform(data.ToDataView(mlContext)));

    internal static float[][] ReadScores(IDataView scored) =>
        scored.GetColumn<float[]>(ColumnNames.Score).Select(s => s.ToArray()).ToArray();
}
