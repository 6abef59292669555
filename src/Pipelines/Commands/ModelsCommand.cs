using System.CommandLine;
using MLPipelines.Catalog;
using MLPipelines.Onnx;
using MLPipelines.Torch.Onnx;
using MLPipelines.Torch.Onnx.Conformance;
using MLPipelines.Torch.Onnx.Parity;
using Spectre.Console;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>models</c>: the ONNX ↔ TorchSharp bridge from the command line. <c>models verify</c> compares the TorchSharp executor
/// with ONNX Runtime on real images, <c>models conformance</c> runs the ONNX backend node tests, <c>models bench</c> measures
/// training and inference throughput and memory (<see cref="ModelsBenchCommand"/>).
/// </summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "The ONNX ↔ TorchSharp bridge: parity with ONNX Runtime, ONNX conformance, training benchmark");
        command.Subcommands.Add(Verify());
        command.Subcommands.Add(Conformance());
        command.Subcommands.Add(ModelsBenchCommand.Create());
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

    /// <summary>A catalog model name or an .onnx file, or a one-line error listing the catalog.</summary>
    internal static (string Name, string Path, ModelCard? Card) Resolve(string spec, AssetLocator locator)
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
