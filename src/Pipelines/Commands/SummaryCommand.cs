using System.CommandLine;
using System.Globalization;
using MLPipelines.Architectures;
using MLPipelines.Catalog;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>summary &lt;model&gt;</c>: the layer table and parameter count of a catalog model, an .onnx file or a built-in
/// architecture (<c>resnet18</c>, <c>builtin:convnet --set batch-norm=true</c>).
/// </summary>
internal static class SummaryCommand
{
    private const string BuiltInPrefix = "builtin:";

    public static Command Create()
    {
        var model = new Argument<string>("model")
        {
            Description = $"A catalog model name, an .onnx file, or a built-in architecture ({string.Join(", ", ArchitectureRegistry.Names)}; prefix builtin: to be explicit)",
        };
        var set = new Option<string[]>("--set")
        {
            Description = "Option of a built-in architecture as name=value, repeatable (e.g. --set classes=10 --set width=0.5)",
            AllowMultipleArgumentsPerToken = false,
        };
        var inputShape = new Option<string?>("--input-shape")
        {
            Description = "Input shape of a catalog model or file, with or without the batch (e.g. 3,224,224); default: the model's",
        };
        var markdown = new Option<bool>("--markdown") { Description = "Print the table as Markdown" };
        var command = new Command("summary", "Show a model's layers, output shapes and parameter counts") { model, set, inputShape, markdown };
        CommonOptions.AddAssetOptions(command);
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(CommonOptions.Verbose), () =>
        {
            string spec = parse.GetValue(model)!;
            string[] settings = parse.GetValue(set) ?? [];
            long[]? shape = ParseShape(parse.GetValue(inputShape));
            var (loaded, name) = Resolve(spec, settings, shape, CommonOptions.Assets(parse));
            var summary = ModelSummary.Create(loaded, shape, name);
            Console.Write(parse.GetValue(markdown) ? summary.ToMarkdown() : summary.ToString());
            return 0;
        }));
        return command;
    }

    /// <summary>Finds the model <paramref name="spec"/> names: built-in prefix, file, catalog entry, then built-in name.</summary>
    private static (ModelProto Model, string Name) Resolve(string spec, string[] settings, long[]? shape, AssetSearchOptions assets)
    {
        bool explicitBuiltIn = spec.StartsWith(BuiltInPrefix, StringComparison.OrdinalIgnoreCase);
        string architecture = explicitBuiltIn ? spec[BuiltInPrefix.Length..] : spec;
        if (explicitBuiltIn || (!File.Exists(spec) && !ModelCatalog.BuiltIn.TryGet(spec, out _) && ArchitectureRegistry.TryGet(spec, out _)))
        {
            if (shape is not null)
                throw new ArgumentException($"--input-shape does not apply to built-in architectures; use --set input-size=<pixels> (and input-channels=<n>)");
            var definition = ArchitectureRegistry.Get(architecture);
            var options = definition.Options(ArchitectureOptionBinder.ParseSettings(settings));
            return (definition.Build(options), $"{definition.Name} (built-in; {options.Describe()})");
        }
        if (settings.Length > 0)
            throw new ArgumentException($"--set applies to built-in architectures only ({string.Join(", ", ArchitectureRegistry.Names)}), not to '{spec}'");
        if (File.Exists(spec))
            return (OnnxModelFile.Load(spec), Path.GetFileName(spec));
        if (ModelCatalog.BuiltIn.TryGet(spec, out var card))
            return (OnnxModelFile.Load(new AssetLocator(assets).LocateModel(card)), card.Name);
        if (spec.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            throw new FileNotFoundException($"{spec}: file does not exist");
        throw new ArgumentException(
            $"unknown model '{spec}': not a file, a catalog model ({string.Join(", ", ModelCatalog.BuiltIn.Models.Select(m => m.Name))}) or a built-in architecture ({string.Join(", ", ArchitectureRegistry.Names)})");
    }

    private static long[]? ParseShape(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Trim('[', ']', '(', ')').Split([',', 'x', '×', ' '], StringSplitOptions.RemoveEmptyEntries);
        var shape = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!long.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out shape[i]))
                throw new ArgumentException($"--input-shape '{text}' must be comma-separated integers, e.g. 3,224,224");
        return shape;
    }
}
