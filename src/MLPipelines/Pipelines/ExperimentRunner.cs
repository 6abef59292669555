using System.Diagnostics;
using Microsoft.ML;
using MLPipelines.Catalog;
using MLPipelines.Data;
using MLPipelines.Diagnostics;
using MLPipelines.Reports;

namespace MLPipelines.Pipelines;

/// <summary>
/// Runs a pipeline definition end to end: resolve the data, load and split it (split CSVs written), run every method, and write
/// report.md, metrics.json, the figures and one model.zip per row into <c>&lt;output&gt;/&lt;pipeline&gt;/&lt;run&gt;/</c>.
/// </summary>
public sealed class ExperimentRunner(IProgress<ProgressUpdate>? progress = null, Action<string>? log = null)
{
    private readonly Action<string> _log = log ?? (_ => { });

    /// <summary>Runs <paramref name="definition"/>; <paramref name="commandLine"/> is recorded in the report.</summary>
    public ExperimentRun Run(PipelineDefinition definition, RunOptions options, string commandLine = "")
    {
        var stopwatch = Stopwatch.StartNew();
        int seed = options.Seed ?? definition.Split.Seed;
        var assets = new AssetLocator(options.Assets);
        string datasetFolder = ResolveDatasetFolder(definition.Dataset, options, assets);
        _log($"dataset: {datasetFolder}");
        var dataset = ImageFolderDataset.Load(datasetFolder, progress: progress is null ? null
            : new Progress<(int Done, int Total)>(p => progress.Report(new ProgressUpdate("check images", p.Done, p.Total))));
        if (dataset.Skipped.Count > 0)
            _log($"skipped {dataset.Skipped.Count} file(s) that are not readable images (listed in the report)");
        var split = StratifiedSplit.Create(dataset, new SplitOptions
        {
            TrainFraction = definition.Split.TrainFraction,
            TestFraction = definition.Split.TestFraction,
            ValidationFraction = definition.Split.ValidationFraction,
            Seed = seed,
            MaxTrainPerClass = options.Quick ? definition.Quick.MaxTrainPerClass : null,
            MaxTestPerClass = options.Quick ? definition.Quick.MaxTestPerClass : null,
        });
        _log($"split (seed {seed}): {split.Train.Count} train / {split.Validation.Count} validation / {split.Test.Count} test");

        string runFolder = CreateRunFolder(options, definition.Name);
        split.WriteCsv(runFolder, dataset.Root);
        var context = new ExperimentContext
        {
            Definition = definition,
            Options = options,
            MLContext = new MLContext(seed),
            Assets = assets,
            Models = ModelCatalog.BuiltIn,
            Dataset = dataset,
            Split = split,
            RunFolder = runFolder,
            Seed = seed,
            Progress = progress,
            Log = _log,
        };
        var results = new List<MethodResult>();
        foreach (var method in definition.Methods)
        {
            results.AddRange(method.Run(context));
            // Each row's networks, sessions and decoded images are garbage now; trimming keeps them out of the next row's peak.
            long resident = ProcessMemory.ReleaseFreedMemory();
            _log($"memory after {results[^1].Method}: {ProcessMemory.Format(resident)} resident, peak so far {ProcessMemory.Format(ProcessMemory.PeakResidentBytes())}");
        }
        string report = ExperimentReport.Write(context, results, stopwatch.Elapsed, commandLine);
        _log($"report: {report}");
        return new ExperimentRun(runFolder, report, results, stopwatch.Elapsed);
    }

    /// <summary>The image folder of a dataset selection: an explicit folder, or a catalog dataset (and domain) found by the locator.</summary>
    public static string ResolveDatasetFolder(DatasetSelection selection, RunOptions options, AssetLocator assets)
    {
        if (selection.Folder is not null)
        {
            string folder = Path.GetFullPath(selection.Folder);
            if (!Directory.Exists(folder))
                throw new DataException($"{folder}: image folder does not exist");
            return folder;
        }
        var card = DatasetCatalog.BuiltIn.Get(selection.Name!);
        if (card.Kind != DatasetKind.ImageFolder)
            throw new PipelineException($"dataset '{card.Name}' is stored as {card.Kind}, not as image folders; this pipeline needs an image-folder dataset");
        string relative = card.Folder;
        if (card.Domains.Count > 0)
        {
            string domain = options.Domain ?? selection.Domain ?? card.DefaultDomain ?? card.Domains[0];
            if (!card.Domains.Contains(domain))
                throw new PipelineException($"dataset '{card.Name}' has no domain '{domain}'; domains: {string.Join(", ", card.Domains)}");
            relative = $"{card.Folder}/{domain}";
            return assets.LocateDirectory(AssetKind.Datasets, relative, $"dataset '{card.Name}', domain '{domain}'");
        }
        return assets.LocateDirectory(AssetKind.Datasets, relative, $"dataset '{card.Name}'");
    }

    /// <summary>
    /// Creates <c>&lt;output&gt;/&lt;pipeline&gt;/&lt;run name or timestamp&gt;/</c> (with a -2, -3… suffix if it exists) for any
    /// pipeline kind, and returns its full path.
    /// </summary>
    public static string CreateRunFolder(RunOptions options, string pipeline)
    {
        string name = options.RunName ?? DateTime.Now.ToString("yyyyMMdd-HHmmss");
        string folder = Path.GetFullPath(Path.Combine(options.OutputRoot, pipeline, name));
        for (int attempt = 2; Directory.Exists(folder); attempt++)
            folder = Path.GetFullPath(Path.Combine(options.OutputRoot, pipeline, $"{name}-{attempt}"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}

/// <summary>A finished run: where its files are and what it measured.</summary>
public sealed record ExperimentRun(string RunFolder, string ReportPath, IReadOnlyList<MethodResult> Results, TimeSpan Elapsed);
