using System.CommandLine;
using MLPipelines.Architectures;
using MLPipelines.Catalog;
using MLPipelines.Onnx;
using MLPipelines.Torch.Onnx;
using MLPipelines.Torch.Onnx.Benchmarks;
using MLPipelines.Torch.Onnx.Conformance;
using MLPipelines.Torch.Onnx.Parity;
using Spectre.Console;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>models</c>: the ONNX ↔ TorchSharp bridge from the command line. <c>models verify</c> compares the TorchSharp executor
/// with ONNX Runtime on real images, <c>models conformance</c> runs the ONNX backend node tests, <c>models bench</c> measures
/// training steps and memory.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "The ONNX ↔ TorchSharp bridge: parity with ONNX Runtime, ONNX conformance, training benchmark");
        command.Subcommands.Add(Verify());
        command.Subcommands.Add(Conformance());
        command.Subcommands.Add(Bench());
        command.Subcommands.Add(Blocks());
        return command;
    }

    private static Command Blocks()
    {
        var model = new Argument<string>("model") { Description = "A catalog model name or an .onnx file" };
        var command = new Command("blocks", "List the stages (blocks) FreezeAllButLastBlocks counts, with their parameter counts") { model };
        CommonOptions.AddAssetOptions(command);
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(CommonOptions.Verbose), () =>
        {
            var (name, path, _) = Resolve(parse.GetValue(model)!, new AssetLocator(CommonOptions.Assets(parse)));
            using var module = OnnxModule.Load(path);
            var table = new Table().AddColumns("#", "block (ends at tensor)", "parameters");
            var counts = module.BlockParameterCounts();
            for (int i = 0; i < module.Blocks.Count; i++)
                table.AddRow($"{i + 1}", Markup.Escape(module.Blocks[i]), $"{counts[i]:N0}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{Markup.Escape(name)}: {module.Blocks.Count} blocks");
            return 0;
        }));
        return command;
    }

    private static Command Verify()
    {
        var model = new Argument<string>("model") { Description = "A catalog model name, an .onnx file, or 'all' for every catalog model" };
        var images = new Option<string[]>("--image") { Description = "An image to compare on (repeatable); default: shared/images plus 4 PACS photos" };
        var command = new Command("verify", "Compare TorchSharp eval output with ONNX Runtime on real images (max |diff| / max |value|)") { model, images };
        CommonOptions.AddAssetOptions(command);
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(CommonOptions.Verbose), () =>
        {
            var locator = new AssetLocator(CommonOptions.Assets(parse));
            string spec = parse.GetValue(model)!;
            var targets = spec == "all"
                ? ModelCatalog.BuiltIn.Models.Select(m => (m.Name, Path: locator.LocateModel(m), Card: (ModelCard?)m)).ToList()
                : [Resolve(spec, locator)];
            var files = parse.GetValue(images) is { Length: > 0 } given ? given.ToList() : DefaultImages(locator);
            var table = new Table().AddColumns("model", "output", "max |diff|", "max |value|", "relative", "within 1e-4", "ops");
            bool allWithin = true;
            foreach (var (name, path, card) in targets)
            {
                try
                {
                    var report = OnnxRuntimeParity.Measure(OnnxModelFile.Load(path), name, files, card?.Preprocessing);
                    string ops = string.Join(" ", report.OpCounts.Select(p => $"{p.Key}×{p.Value}"));
                    foreach (var output in report.Outputs)
                    {
                        allWithin &= output.Relative <= OnnxRuntimeParity.Tolerance;
                        table.AddRow(Markup.Escape(name), Markup.Escape(output.Name), $"{output.MaxAbsDifference:E2}", $"{output.MaxAbsValue:G4}",
                            $"{output.Relative:E2}", output.Relative <= OnnxRuntimeParity.Tolerance ? "yes" : "[red]NO[/]", Markup.Escape(ops));
                    }
                }
                catch (OnnxNotSupportedException e)
                {
                    table.AddRow(Markup.Escape(name), "-", "-", "-", "-", "not supported", Markup.Escape(e.Message));
                    if (spec != "all") allWithin = false;
                }
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{files.Count} images: {Markup.Escape(string.Join(", ", files.Select(Path.GetFileName)))}");
            return allWithin ? 0 : ErrorHandling.Failure;
        }));
        return command;
    }

    private static Command Conformance()
    {
        var folder = new Option<string>("--folder") { Description = "Folder of ONNX node tests", DefaultValueFactory = _ => OnnxConformanceRunner.DefaultFolder };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the passed / not-applicable / failed lists as Markdown to this file" };
        var command = new Command("conformance", "Run the ONNX backend node tests of every supported op through the TorchSharp executor") { folder, markdown };
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(CommonOptions.Verbose), () =>
        {
            var report = OnnxConformanceRunner.Run(parse.GetValue(folder)!);
            foreach (var c in report.Cases)
            {
                string color = c.Outcome switch { ConformanceOutcome.Passed => "green", ConformanceOutcome.Failed => "red", _ => "yellow" };
                AnsiConsole.MarkupLine($"[{color}]{c.Outcome,-13}[/] {Markup.Escape(c.Name)}  {Markup.Escape(c.Detail)}");
            }
            AnsiConsole.MarkupLine($"{report.Passed.Count} passed, {report.NotApplicable.Count} not applicable, {report.Failed.Count} failed");
            if (parse.GetValue(markdown) is { } path)
            {
                AtomicFile.WriteAllText(path, report.ToMarkdown());
                AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.GetFullPath(path))}");
            }
            return report.Failed.Count == 0 ? 0 : ErrorHandling.Failure;
        }));
        return command;
    }

    private static Command Bench()
    {
        var model = new Argument<string>("model")
        {
            Description = "A catalog model name, an .onnx file or builtin:<architecture> (at 224×224); cut at 'features' when it has that output, then a new head is attached",
            DefaultValueFactory = _ => "mobilenetv2-1.0-bn-features",
        };
        var batch = new Option<int>("--batch") { Description = "Images per step", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "Training steps", DefaultValueFactory = _ => 20 };
        var classes = new Option<int>("--classes") { Description = "Classes of the new head", DefaultValueFactory = _ => 7 };
        var rssAt = new Option<int[]>("--rss-at") { Description = "Steps after which to record resident memory (repeatable)", AllowMultipleArgumentsPerToken = true };
        var handWritten = new Option<string?>("--hand-written") { Description = "Also time the same network written directly in TorchSharp, stepped in turn: mobilenetv2 or resnet18" };
        var inputSize = new Option<int>("--input-size") { Description = "Input size of builtin: architectures", DefaultValueFactory = _ => 224 };
        var command = new Command("bench", "Time training steps (forward, backward, SGD) through the ONNX executor and record resident memory")
        {
            model, batch, steps, classes, rssAt, handWritten, inputSize,
        };
        CommonOptions.AddAssetOptions(command);
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(CommonOptions.Verbose), () =>
        {
            var (name, graph) = LoadForBench(parse.GetValue(model)!, parse.GetValue(inputSize), new AssetLocator(CommonOptions.Assets(parse)));
            TorchSharp.torch.set_num_threads(2);
            using var loaded = OnnxModule.FromModel(graph);
            using var cut = graph.Graph.Output.Any(o => o.Name == "features") ? loaded.CutAt("features") : null;
            using var module = (cut ?? loaded).WithClassificationHead(parse.GetValue(classes));
            int total = parse.GetValue(steps);
            var marks = parse.GetValue(rssAt) is { Length: > 0 } given ? given : [Math.Min(total, 10), total];
            var image = module.InputShape.Skip(1).ToList();
            void Report(string what, TrainStepMeasurement result)
            {
                AnsiConsole.MarkupLine($"{Markup.Escape(what)}: {result.Steps} steps of batch {result.Batch} at {string.Join("×", image)}: " +
                                       $"median step {result.MedianStepSeconds * 1000:0} ms, {result.ImagesPerSecond:0.0} images/s; loss {result.FirstLoss:0.000} → {result.LastLoss:0.000}");
                foreach (var (step, bytes) in result.ResidentBytes.OrderBy(p => p.Key))
                    AnsiConsole.MarkupLine($"  RSS after step {step}: {bytes / 1048576.0:0.0} MiB");
            }
            int classCount = parse.GetValue(classes), batchSize = parse.GetValue(batch);
            using TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>? reference = parse.GetValue(handWritten) switch
            {
                null => null,
                "mobilenetv2" => new HandWrittenMobileNetV2(classCount),
                "resnet18" => new HandWrittenResNet18(classCount),
                var other => throw new ArgumentException($"--hand-written '{other}': use mobilenetv2 or resnet18"),
            };
            var modules = reference is null ? [module] : new List<TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>> { module, reference };
            var results = TrainStepBenchmark.Run(modules, image, classCount, batchSize, total, marks,
                progress: (m, step, loss) =>
                {
                    // Long runs (memory checks) report as they go, so a cut-short run still shows the trend.
                    if (step % 50 == 0 || marks.Contains(step))
                        Console.Error.WriteLine($"network {m + 1} step {step}: loss {loss:0.0000}, RSS {TrainStepBenchmark.ResidentBytes() / 1048576.0:0.0} MiB");
                });
            Report($"{name} (ONNX executor)", results[0]);
            if (reference is not null)
            {
                Report($"{parse.GetValue(handWritten)} written in TorchSharp (stepped in turn with the executor)", results[1]);
                AnsiConsole.MarkupLine($"executor step time / hand-written: {results[0].MedianStepSeconds / results[1].MedianStepSeconds:0.00}");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>A catalog model or file, or builtin:&lt;architecture&gt; built for <paramref name="inputSize"/> pixels.</summary>
    private static (string Name, Onnx.Proto.ModelProto Model) LoadForBench(string spec, int inputSize, AssetLocator locator)
    {
        const string prefix = "builtin:";
        if (spec.StartsWith(prefix, StringComparison.Ordinal))
            return (spec, ArchitectureRegistry.Build(spec[prefix.Length..], [new KeyValuePair<string, string>("input-size", inputSize.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        var (name, path, _) = Resolve(spec, locator);
        return (name, OnnxModelFile.Load(path));
    }

    private static (string Name, string Path, ModelCard? Card) Resolve(string spec, AssetLocator locator)
    {
        if (File.Exists(spec)) return (Path.GetFileName(spec), spec, null);
        if (ModelCatalog.BuiltIn.TryGet(spec, out var card)) return (card.Name, locator.LocateModel(card), card);
        throw new ArgumentException($"unknown model '{spec}': not a file or a catalog model ({string.Join(", ", ModelCatalog.BuiltIn.Models.Select(m => m.Name))})");
    }

    /// <summary>The sample photos in shared/images and the first 4 PACS photos (sorted), found beside the models.</summary>
    private static List<string> DefaultImages(AssetLocator locator)
    {
        string shared = RepositoryLayout.SharedFolder(locator.RepositoryRoot)
            ?? throw new DirectoryNotFoundException("no shared/ folder beside the repository for the default images; pass --image");
        var images = Directory.GetFiles(Path.Combine(shared, "images")).Order(StringComparer.Ordinal).ToList();
        string pacs = Path.Combine(shared, "datasets", "pacs", "photo");
        if (Directory.Exists(pacs))
            images.AddRange(Directory.GetDirectories(pacs).Order(StringComparer.Ordinal)
                .Select(d => Directory.GetFiles(d).Order(StringComparer.Ordinal).First()).Take(4));
        return images;
    }
}
