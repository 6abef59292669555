using Microsoft.ML;
using MLPipelines.Catalog;
using MLPipelines.Data;
using MLPipelines.Features;
using MLPipelines.Imaging;
using MLPipelines.Onnx;

namespace MLPipelines.Pipelines;

/// <summary>
/// Everything a method needs while a pipeline runs, plus shared, memoized work (features, statistics). Methods that run
/// alongside each other (<see cref="MethodDefinition.RunsAlongsideOthers"/>) share it: the memoized work is serialized by a
/// lock, and their ML.NET fits (with each row's test scoring and model saving) share <see cref="FitScheduler"/>.
/// </summary>
public sealed class ExperimentContext
{
    private readonly Dictionary<string, (FeatureSet Set, FeatureExtractionResult Extraction)> _featureSets = [];
    private readonly Dictionary<(int, int), ChannelStatistics> _statistics = [];
    // Featurization uses every core by itself, and the memo dictionaries are not thread-safe: one caller at a time.
    private readonly object _sharedWork = new();

    private readonly List<MethodResult> _completedRows = [];

    public required PipelineDefinition Definition { get; init; }
    public required RunOptions Options { get; init; }
    public required MLContext MLContext { get; init; }
    public required AssetLocator Assets { get; init; }
    public required ModelCatalog Models { get; init; }
    public required ImageFolderDataset Dataset { get; init; }
    public required DatasetSplit Split { get; init; }

    /// <summary>The run's output folder.</summary>
    public required string RunFolder { get; init; }

    /// <summary>The seed of this run (split and training).</summary>
    public required int Seed { get; init; }

    public IProgress<ProgressUpdate>? Progress { get; init; }

    /// <summary>Writes a line of the run log (shown by the CLI, kept in run.log).</summary>
    public Action<string> Log { get; init; } = _ => { };

    public FeatureCache FeatureCache => new(Assets.CacheRoot);

    /// <summary>The rows finished so far in this run, in order (an ensemble row combines earlier rows).</summary>
    public IReadOnlyList<MethodResult> CompletedRows => _completedRows;

    /// <summary>Records finished rows; the runner calls it after each group of methods.</summary>
    public void AddCompletedRows(IEnumerable<MethodResult> rows) => _completedRows.AddRange(rows);

    /// <summary>
    /// Runs the ML.NET fits of every method of the run, at most one per logical core at a time, so that methods running
    /// alongside each other do not oversubscribe the machine.
    /// </summary>
    public TaskScheduler FitScheduler { get; init; } =
        new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, Environment.ProcessorCount).ConcurrentScheduler;

    /// <summary>Normalization statistics computed in this run, keyed by image size, for the report.</summary>
    public IReadOnlyDictionary<(int Width, int Height), ChannelStatistics> ComputedStatistics => _statistics;

    /// <summary>Creates (if needed) and returns a subfolder of the run folder.</summary>
    public string Folder(string relative)
    {
        string path = Path.Combine(RunFolder, relative);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The catalog model called <paramref name="nameOrPath"/>, or an ad-hoc card for an .onnx file path.</summary>
    public (ModelCard Card, string Path) ResolveModel(string nameOrPath)
    {
        if (nameOrPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            return OnnxFileCard.Create(nameOrPath);
        var card = Models.Get(nameOrPath);
        return (card, Assets.LocateModel(card));
    }

    /// <summary>Per-channel statistics of the training split (train + validation) at the given size, computed once per run.</summary>
    public ChannelStatistics TrainingStatistics(int width, int height)
    {
        lock (_sharedWork)
            return ComputeTrainingStatistics(width, height);
    }

    private ChannelStatistics ComputeTrainingStatistics(int width, int height)
    {
        if (!_statistics.TryGetValue((width, height), out var statistics))
        {
            statistics = ChannelStatistics.Compute(Split.TrainAndValidation.Select(i => i.Path).ToList(), width, height, progress: Progress);
            _statistics[(width, height)] = statistics;
            Log($"training-split statistics at {width}×{height}: mean {Format(statistics.Mean)}, std {Format(statistics.Std)}");
        }
        return statistics;
    }

    /// <summary>
    /// Features of <paramref name="images"/> under <paramref name="featurizer"/> (through the on-disk cache), memoized per run by
    /// (featurizer, set name, variant).
    /// </summary>
    public (FeatureSet Set, FeatureExtractionResult Extraction) Features(FeaturizerModel featurizer, string setName,
        IReadOnlyList<LabeledImage> images, Func<LabeledImage, int, FeatureRequest>? request = null, int copies = 1, string variantKey = "")
    {
        lock (_sharedWork)
            return ComputeFeatures(featurizer, setName, images, request, copies, variantKey);
    }

    private (FeatureSet Set, FeatureExtractionResult Extraction) ComputeFeatures(FeaturizerModel featurizer, string setName,
        IReadOnlyList<LabeledImage> images, Func<LabeledImage, int, FeatureRequest>? request, int copies, string variantKey)
    {
        string key = $"{featurizer.Key}|{setName}|{variantKey}|{copies}";
        if (_featureSets.TryGetValue(key, out var known))
            return known;
        var requests = new List<FeatureRequest>();
        var labels = new List<string>();
        var paths = new List<string>();
        foreach (var image in images)
            for (int copy = 0; copy < copies; copy++)
            {
                requests.Add(request?.Invoke(image, copy) ?? new FeatureRequest(image.Path));
                labels.Add(image.Label);
                paths.Add(image.Path);
            }
        var extraction = new FeatureExtractor(featurizer, FeatureCache).Extract(requests, $"featurize {setName} ({featurizer.Name})", Progress);
        Log($"{setName} features ({featurizer.Name}{(variantKey.Length > 0 ? ", " + variantKey : "")}): {extraction.FromCache} from the cache, " +
            $"{extraction.Computed} computed, {extraction.TotalTime.TotalSeconds:0.00} s");
        var result = (new FeatureSet(Split.Classes, extraction.Features, labels, paths), extraction);
        _featureSets[key] = result;
        return result;
    }

    /// <summary>
    /// Saves featurizer + <paramref name="classifier"/> as <c>&lt;id&gt;/model.zip</c> in the run folder; returns the relative path.
    /// Safe to call from several fit-scheduler threads at once: each save composes on a context of its own (a model.zip with
    /// the MobileNetV2 graph takes about a second to write, so the rows of a run save in parallel).
    /// </summary>
    public string SaveImageModel(FeaturizerModel featurizer, ITransformer classifier, string id)
    {
        string relative = Path.Combine(id, "model.zip");
        var mlContext = new MLContext(Seed);
        var model = Training.ImageClassifierModel.Compose(mlContext, featurizer, classifier);
        Training.ImageClassifierModel.Save(mlContext, model, Path.Combine(Folder(id), "model.zip"));
        return relative;
    }

    private static string Format(float[] values) => "(" + string.Join(", ", values.Select(v => v.ToString("0.000"))) + ")";
}
