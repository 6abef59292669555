using MLPipelines.Catalog;

namespace MLPipelines.Pipelines;

/// <summary>Options of one pipeline run (the CLI's common flags).</summary>
public sealed class RunOptions
{
    /// <summary>Overrides the pipeline's split seed and every training seed. Default: the pipeline's seed (42).</summary>
    public int? Seed { get; init; }

    /// <summary>Small subset and single grid points, for smoke runs. Default: false.</summary>
    public bool Quick { get; init; }

    /// <summary>Methods with a learning-rate grid search the full reference grid instead of the default budget. Default: false.</summary>
    public bool FullGrid { get; init; }

    /// <summary>Training methods continue from their last per-epoch checkpoint (kept in the cache) instead of starting over. Default: false.</summary>
    public bool Resume { get; init; }

    /// <summary>Folder that receives <c>&lt;pipeline&gt;/&lt;timestamp&gt;/</c>. Default: <c>runs</c> under the working directory.</summary>
    public string OutputRoot { get; init; } = "runs";

    /// <summary>Overrides the backbone of every method that has one (catalog name or .onnx path). Default: none.</summary>
    public string? Backbone { get; init; }

    /// <summary>Overrides the domain of a multi-domain dataset. Default: none.</summary>
    public string? Domain { get; init; }

    /// <summary>Where datasets and models are looked up.</summary>
    public AssetSearchOptions Assets { get; init; } = new();

    /// <summary>
    /// Runs only the pipeline's methods of these kinds (e.g. <c>pixel-baseline</c> and <c>frozen-features</c> for the frozen rows
    /// of pacs-fewshot without its fine-tuning). Default: null, every method.
    /// </summary>
    public IReadOnlyList<string>? Kinds { get; init; }

    /// <summary>Name of the run folder. Default: the local time as yyyyMMdd-HHmmss.</summary>
    public string? RunName { get; init; }
}
