namespace MLPipelines.Catalog;

/// <summary>Where <see cref="AssetLocator"/> looks for datasets and models, and whether it may download.</summary>
public sealed record AssetSearchOptions
{
    /// <summary>Explicit datasets folder (<c>--data-root</c>); searched first. Default: none.</summary>
    public string? DataRoot { get; init; }

    /// <summary>Explicit models folder (<c>--models</c>); searched first. Default: none.</summary>
    public string? ModelsRoot { get; init; }

    /// <summary>
    /// User cache (downloads, feature cache, checksums). Default: <c>$MLPIPELINES_CACHE</c>, else
    /// <c>$XDG_CACHE_HOME/mlpipelines</c>, else <c>~/.cache/mlpipelines</c>.
    /// </summary>
    public string? CacheRoot { get; init; }

    /// <summary>Download missing files that have a catalog URL. Default: true.</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>Folder whose <c>./data</c> is searched. Default: the process's working directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Repository root whose sibling <c>shared/</c> is searched. Default: found by walking up (see <see cref="RepositoryLayout"/>).</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>Reads environment variables; replaceable in tests. Default: the process environment.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>HTTP client for downloads. Default: a shared client.</summary>
    public HttpClient? HttpClient { get; init; }
}
