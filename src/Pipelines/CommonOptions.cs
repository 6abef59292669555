using System.CommandLine;
using MLPipelines.Catalog;
using MLPipelines.Pipelines;

namespace MLPipelines.Cli;

/// <summary>Options shared by the verbs that run experiments.</summary>
internal static class CommonOptions
{
    public static readonly Option<int?> Seed = new("--seed") { Description = "Seed of the split, the samplers and training (default: the pipeline's, 42)" };
    public static readonly Option<string> Output = new("--output", "-o") { Description = "Folder for <pipeline>/<run>/ outputs", DefaultValueFactory = _ => "runs" };
    public static readonly Option<bool> Quick = new("--quick") { Description = "Small subset and single grid points, for a smoke run" };
    public static readonly Option<bool> FullGrid = new("--full-grid") { Description = "Search the full learning-rate grid of the reference protocol (slow)" };
    public static readonly Option<bool> Resume = new("--resume") { Description = "Continue interrupted training from its last epoch checkpoint" };
    public static readonly Option<string?> Backbone = new("--backbone") { Description = "Backbone for every method that has one: a catalog model name or an .onnx file" };
    public static readonly Option<string?> Domain = new("--domain") { Description = "Domain of a multi-domain dataset (PACS: cartoon, photo, ...)" };
    public static readonly Option<string?> DataRoot = new("--data-root") { Description = "Folder with the datasets (searched first; also $MLPIPELINES_DATA)" };
    public static readonly Option<string?> Models = new("--models") { Description = "Folder with the model files (searched first; also $MLPIPELINES_MODELS)" };
    public static readonly Option<bool> NoDownload = new("--no-download") { Description = "Never download missing files" };
    public static readonly Option<string[]> Kinds = new("--kinds")
    {
        Description = "Run only the pipeline's methods of these kinds, e.g. --kinds pixel-baseline frozen-features (the frozen rows without fine-tuning)",
        AllowMultipleArgumentsPerToken = true,
    };
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Show stack traces and detailed logs", Recursive = true };

    /// <summary>Adds the experiment options to <paramref name="command"/>.</summary>
    public static void AddRunOptions(Command command)
    {
        foreach (var option in new Option[] { Seed, Output, Quick, FullGrid, Resume, Backbone, Domain, Kinds, DataRoot, Models, NoDownload })
            command.Options.Add(option);
    }

    /// <summary>Adds only the asset-location options.</summary>
    public static void AddAssetOptions(Command command)
    {
        command.Options.Add(DataRoot);
        command.Options.Add(Models);
        command.Options.Add(NoDownload);
    }

    public static AssetSearchOptions Assets(ParseResult parse) => new()
    {
        DataRoot = parse.GetValue(DataRoot),
        ModelsRoot = parse.GetValue(Models),
        AllowDownload = !parse.GetValue(NoDownload),
    };

    public static RunOptions Run(ParseResult parse) => new()
    {
        Seed = parse.GetValue(Seed),
        Quick = parse.GetValue(Quick),
        FullGrid = parse.GetValue(FullGrid),
        Resume = parse.GetValue(Resume),
        Kinds = parse.GetValue(Kinds) is { Length: > 0 } kinds ? kinds : null,
        OutputRoot = parse.GetValue(Output) ?? "runs",
        Backbone = parse.GetValue(Backbone),
        Domain = parse.GetValue(Domain),
        Assets = Assets(parse),
    };
}
