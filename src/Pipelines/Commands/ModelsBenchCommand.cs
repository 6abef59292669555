using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MLPipelines.Architectures;
using MLPipelines.Catalog;
using MLPipelines.Diagnostics;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.Onnx;
using MLPipelines.Torch.Onnx.Benchmarks;
using Spectre.Console;
using TorchSharp;
using Module = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>models bench</c>: per network, training steps through the ONNX executor (optionally stepped in turn with a hand-written
/// TorchSharp twin), inference through the executor and through ONNX Runtime, each with its peak resident memory, and
/// RSS by training step for memory-growth checks. <c>--results</c> writes the figures as Markdown and JSON.
/// </summary>
internal static class ModelsBenchCommand
{
    private const double MiB = 1024 * 1024;

    public static Command Create()
    {
        var models = new Argument<string[]>("models")
        {
            Description = "Catalog model names, .onnx files or builtin:<architecture> (at --input-size); for training, cut at 'features' when the graph has that output, then a new head is attached",
            Arity = ArgumentArity.ZeroOrMore,
            DefaultValueFactory = _ => ["mobilenetv2-1.0-bn-features"],
        };
        var batch = new Option<int>("--batch") { Description = "Images per step and per inference batch", DefaultValueFactory = _ => 16 };
        var steps = new Option<int>("--steps") { Description = "Training steps", DefaultValueFactory = _ => 8 };
        var evalBatches = new Option<int>("--eval-batches") { Description = "Timed inference batches per runtime", DefaultValueFactory = _ => 10 };
        var classes = new Option<int>("--classes") { Description = "Classes of the new head", DefaultValueFactory = _ => 7 };
        var rssAt = new Option<int[]>("--rss-at") { Description = "Steps after which to record resident memory (repeatable)", AllowMultipleArgumentsPerToken = true };
        var handWritten = new Option<string?>("--hand-written")
        {
            Description = "Also time the same network written directly in TorchSharp, stepped in turn: mobilenetv2, resnet18, or auto (by each model's name)",
        };
        var inputSize = new Option<int>("--input-size") { Description = "Input size of builtin: architectures", DefaultValueFactory = _ => 224 };
        var trim = new Option<bool>("--trim") { Description = "Return glibc's free heap to the system (malloc_trim) before each RSS sample" };
        var trimEvery = new Option<int>("--trim-every")
        {
            Description = "Return glibc's free heap to the system every N training steps, as the trainer does by default (0: never)",
            DefaultValueFactory = _ => NativeHeapTrimmer.DefaultEverySteps,
        };
        var what = new Option<string>("--measure") { Description = "What to measure: all, train or eval", DefaultValueFactory = _ => "all" };
        var results = new Option<string?>("--results") { Description = "Write the figures to this Markdown file and to a .json file beside it" };
        var threads = new Option<int>("--threads") { Description = "TorchSharp and ONNX Runtime intra-op threads (at most the cores)", DefaultValueFactory = _ => 2 };
        var quick = new Option<bool>("--quick") { Description = "A smoke run: batch 2, 3 training steps, 3 inference batches" };
        var timeLimit = new Option<double?>("--time-limit")
        {
            Description = "Minutes of training per network after which the steps stop (the RSS of the last step reached is recorded); default: no limit",
        };
        var command = new Command("bench",
            "Training throughput (forward, backward, SGD) through the ONNX executor, inference throughput through TorchSharp and ONNX Runtime, peak and per-step resident memory")
        {
            models, batch, steps, evalBatches, classes, rssAt, handWritten, inputSize, trim, trimEvery, what, results, threads, quick, timeLimit,
        };
        CommonOptions.AddAssetOptions(command);
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(CommonOptions.Verbose), () =>
        {
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            double? loadAtStart = LoadAverage.OneMinute();
            bool isQuick = parse.GetValue(quick);
            var settings = new Settings(
                Batch: isQuick ? 2 : Positive(parse.GetValue(batch), "--batch"),
                Steps: isQuick ? 3 : Positive(parse.GetValue(steps), "--steps"),
                EvalBatches: isQuick ? 3 : Positive(parse.GetValue(evalBatches), "--eval-batches"),
                Classes: Positive(parse.GetValue(classes), "--classes"),
                InputSize: Positive(parse.GetValue(inputSize), "--input-size"),
                RssAt: parse.GetValue(rssAt) ?? [],
                Trim: parse.GetValue(trim),
                TrimEverySteps: parse.GetValue(trimEvery) >= 0 ? parse.GetValue(trimEvery) : throw new ArgumentException($"--trim-every must be 0 or more, got {parse.GetValue(trimEvery)}"),
                TimeLimit: parse.GetValue(timeLimit) is { } minutes
                    ? minutes > 0 ? TimeSpan.FromMinutes(minutes) : throw new ArgumentException($"--time-limit must be more than 0 minutes, got {minutes}")
                    : null,
                Measure: parse.GetValue(what) is "all" or "train" or "eval" ? parse.GetValue(what)! : throw new ArgumentException($"--measure '{parse.GetValue(what)}': use all, train or eval"));
            string[] specs = parse.GetValue(models) is { Length: > 0 } given ? given : ["mobilenetv2-1.0-bn-features"];
            string? twin = parse.GetValue(handWritten);
            if (twin is not null and not "auto" && specs.Length > 1)
                throw new ArgumentException($"--hand-written {twin} names one architecture but {specs.Length} models were given; use --hand-written auto");
            var locator = new AssetLocator(CommonOptions.Assets(parse));

            TorchSharpRuntime.EnsureInitialized();
            torch.set_num_threads(Positive(parse.GetValue(threads), "--threads"));
            var networks = specs.Select(spec => Measure(spec, locator, twin, settings)).ToList();
            var run = new BenchmarkRun(started, "dotnet run --project src/Pipelines -c Release -- " + string.Join(" ", parse.Tokens.Select(t => t.Value)), Environment.ProcessorCount,
                torch.get_num_threads(), loadAtStart, LoadAverage.OneMinute(), clock.Elapsed.TotalSeconds, networks);
            if (parse.GetValue(results) is { } path)
            {
                string json = BenchmarkReport.Save(run, path);
                AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.GetFullPath(path))} and {Markup.Escape(Path.GetFileName(json))}");
            }
            return 0;
        }));
        return command;
    }

    private sealed record Settings(int Batch, int Steps, int EvalBatches, int Classes, int InputSize, int[] RssAt, bool Trim, int TrimEverySteps, TimeSpan? TimeLimit, string Measure);

    private static NetworkBenchmark Measure(string spec, AssetLocator locator, string? twin, Settings settings)
    {
        var (name, graph) = LoadForBench(spec, settings.InputSize, locator);
        TrainStepMeasurement? training = null, handWritten = null;
        string? twinName = null;
        IReadOnlyList<long> image;
        using (var loaded = OnnxModule.FromModel(graph))
            image = loaded.InputShape.Skip(1).ToList();
        if (settings.Measure is "all" or "train")
        {
            twinName = twin == "auto" ? TwinOf(name) : twin;
            (training, handWritten) = Train(name, graph, twinName, settings);
        }
        var eval = new List<EvalMeasurement>();
        if (settings.Measure is "all" or "eval")
        {
            eval.Add(EvalThroughputBenchmark.TorchSharp(graph, image, settings.Batch, settings.EvalBatches));
            eval.Add(EvalThroughputBenchmark.OnnxRuntime(graph, image, settings.Batch, settings.EvalBatches, threads: torch.get_num_threads()));
            foreach (var e in eval)
                AnsiConsole.MarkupLine($"{Markup.Escape(name)} inference through {e.Runtime}: batch {e.Batch} at {string.Join("×", image)}: " +
                                       $"median {e.MedianBatchSeconds * 1000:0} ms, {e.ImagesPerSecond:0.0} images/s; RSS {e.StartResidentBytes / MiB:0} MiB at start, peak {e.PeakResidentBytes / MiB:0} MiB");
        }
        return new NetworkBenchmark(name, image, graph.Graph.Output[0].Name, training, twinName, handWritten, eval);
    }

    private static (TrainStepMeasurement Executor, TrainStepMeasurement? HandWritten) Train(string name, Onnx.Proto.ModelProto graph, string? twin, Settings settings)
    {
        using var loaded = OnnxModule.FromModel(graph);
        using var cut = graph.Graph.Output.Any(o => o.Name == "features") ? loaded.CutAt("features") : null;
        using var module = (cut ?? loaded).WithClassificationHead(settings.Classes);
        using Module? reference = twin switch
        {
            null => null,
            "mobilenetv2" => new HandWrittenMobileNetV2(settings.Classes),
            "resnet18" => new HandWrittenResNet18(settings.Classes),
            var other => throw new ArgumentException($"--hand-written '{other}': use mobilenetv2, resnet18 or auto"),
        };
        // The twin starts from the executor's weights: both then compute the same numbers, and equal first-step losses
        // show that they are the same network (the report prints both).
        if (reference is not null) TwinWeights.Copy(module, reference);
        var modules = reference is null ? [module] : new List<Module> { module, reference };
        var image = module.InputShape.Skip(1).ToList();
        var marks = settings.RssAt.Length > 0 ? settings.RssAt : [Math.Min(settings.Steps, 10), settings.Steps];
        var results = TrainStepBenchmark.Run(modules, image, settings.Classes, settings.Batch, settings.Steps, marks, trimBeforeSampling: settings.Trim,
            trimEverySteps: settings.TrimEverySteps,
            timeLimit: settings.TimeLimit,
            progress: (m, step, loss) =>
            {
                // Long runs (memory checks) report as they go, so a cut-short run still shows the trend.
                if (step % 50 == 0 || marks.Contains(step))
                    Console.Error.WriteLine($"network {m + 1} step {step}: loss {loss:0.0000}, RSS {ProcessMemory.ResidentBytes() / MiB:0.0} MiB");
            });
        Report($"{name} (ONNX executor)", image, results[0]);
        if (reference is null) return (results[0], null);
        Report($"{twin} written in TorchSharp (stepped in turn with the executor)", image, results[1]);
        AnsiConsole.MarkupLine($"executor step time / hand-written: {results[0].MedianStepSeconds / results[1].MedianStepSeconds:0.00}; " +
                               $"first-step loss {results[0].FirstLoss:0.000000} / {results[1].FirstLoss:0.000000}");
        return (results[0], results[1]);
    }

    private static void Report(string what, IReadOnlyList<long> image, TrainStepMeasurement result)
    {
        string stopped = result.Steps < result.RequestedSteps ? $" (of {result.RequestedSteps}: --time-limit reached)" : "";
        AnsiConsole.MarkupLine($"{Markup.Escape(what)}: {result.Steps} steps{stopped} of batch {result.Batch} at {string.Join("×", image)}: " +
                               $"median step {result.MedianStepSeconds * 1000:0} ms, {result.ImagesPerSecond:0.0} images/s; loss {result.FirstLoss:0.000} → {result.LastLoss:0.000}; " +
                               $"peak RSS {result.PeakResidentBytes / MiB:0} MiB");
        foreach (var (step, bytes) in result.ResidentBytes.OrderBy(p => p.Key))
            AnsiConsole.MarkupLine($"  RSS after step {step}: {bytes / MiB:0.0} MiB");
    }

    /// <summary>The hand-written network of the same architecture as <paramref name="model"/>, judged by its name.</summary>
    private static string TwinOf(string model) =>
        model.Contains("resnet18", StringComparison.OrdinalIgnoreCase) ? "resnet18"
        : model.Contains("mobilenetv2", StringComparison.OrdinalIgnoreCase) ? "mobilenetv2"
        : throw new ArgumentException($"--hand-written auto: no hand-written TorchSharp network for '{model}' (there are mobilenetv2 and resnet18)");

    /// <summary>A catalog model or file, or builtin:&lt;architecture&gt; built for <paramref name="inputSize"/> pixels.</summary>
    private static (string Name, Onnx.Proto.ModelProto Model) LoadForBench(string spec, int inputSize, AssetLocator locator)
    {
        const string prefix = "builtin:";
        if (spec.StartsWith(prefix, StringComparison.Ordinal))
            return (spec, ArchitectureRegistry.Build(spec[prefix.Length..], [new KeyValuePair<string, string>("input-size", inputSize.ToString(CultureInfo.InvariantCulture))]));
        var (name, path, _) = ModelsCommand.Resolve(spec, locator);
        return (name, OnnxModelFile.Load(path));
    }

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw new ArgumentException($"{option} must be at least 1, got {value}");
}
