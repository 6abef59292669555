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
        var methods = SelectMethods(definition, options);
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
        foreach (var group in ConcurrentGroups(methods))
        {
            var rows = RunTogether(group, context).ToList();
            results.AddRange(rows);
            context.AddCompletedRows(rows);
            // Each group's networks, sessions and decoded images are garbage now; trimming keeps them out of the next group's peak.
            long resident = ProcessMemory.ReleaseFreedMemory();
            _log($"memory after {results[^1].Method}: {ProcessMemory.Describe(resident)}, peak so far {ProcessMemory.Format(ProcessMemory.PeakResidentBytes())}");
        }
        _log($"{results.Count} rows done; writing the report (CPU time so far {System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0.0} s)");
        string report = ExperimentReport.Write(context, results, stopwatch.Elapsed, commandLine);
        _log($"report: {report}");
        return new ExperimentRun(runFolder, report, results, stopwatch.Elapsed);
    }

    /// <summary>
    /// Splits the methods, in order, into groups that run at the same time: neighbours that all allow it
    /// (<see cref="MethodDefinition.RunsAlongsideOthers"/>) share a group, every other method is a group of its own.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<MethodDefinition>> ConcurrentGroups(IReadOnlyList<MethodDefinition> methods)
    {
        var groups = new List<IReadOnlyList<MethodDefinition>>();
        foreach (var method in methods)
        {
            if (method.RunsAlongsideOthers && groups.Count > 0 && groups[^1] is List<MethodDefinition> open && open[^1].RunsAlongsideOthers)
                open.Add(method);
            else
                groups.Add(new List<MethodDefinition> { method });
        }
        return groups;
    }

    /// <summary>Runs a group of methods at once (each on a thread of its own) and returns their rows in the group's order.</summary>
    private static IEnumerable<MethodResult> RunTogether(IReadOnlyList<MethodDefinition> group, ExperimentContext context)
    {
        if (group.Count == 1) return group[0].Run(context);
        // Long-running: the methods mostly wait for their fits, and blocked thread-pool threads would starve the fits.
        var runs = group.Select(m => Task.Factory.StartNew(() => m.Run(context), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        try
        {
            Task.WaitAll(runs);
        }
        catch (AggregateException e)
        {
            // The first method's failure as itself, so the command line reports it in one line.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
        }
        return runs.SelectMany(r => r.Result);
    }

    /// <summary>The methods <see cref="RunOptions.Kinds"/> selects (all when it is null); a kind the pipeline lacks is an error.</summary>
    public static IReadOnlyList<MethodDefinition> SelectMethods(PipelineDefinition definition, RunOptions options)
    {
        if (options.Kinds is null) return definition.Methods;
        // The registered kind of each method's class; Kind itself is empty for methods built in code.
        var kinds = PipelineMethodRegistry.All;
        string KindOf(MethodDefinition m) => kinds.FirstOrDefault(k => k.Value == m.GetType()).Key ?? m.Kind;
        var present = definition.Methods.Select(KindOf).Distinct().ToList();
        foreach (string kind in options.Kinds)
            if (!present.Contains(kind))
                throw new PipelineException($"--kinds {kind}: pipeline '{definition.Name}' has no method of that kind (it has {string.Join(", ", present)})");
        return definition.Methods.Where(m => options.Kinds.Contains(KindOf(m))).ToList();
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
