namespace MLPipelines.Catalog;

/// <summary>
/// Finds datasets and model files by catalog name. Search order, first hit wins:
/// <list type="number">
/// <item>the explicit folder (<see cref="AssetSearchOptions.DataRoot"/> / <see cref="AssetSearchOptions.ModelsRoot"/>);</item>
/// <item>the environment variable <c>MLPIPELINES_DATA</c> / <c>MLPIPELINES_MODELS</c>;</item>
/// <item><c>./data/datasets</c> / <c>./data/models</c> under the working directory;</item>
/// <item><c>shared/datasets</c> / <c>shared/models</c> beside the repository;</item>
/// <item>the user cache (<c>~/.cache/mlpipelines/datasets</c> / <c>models</c>), where downloads go.</item>
/// </list>
/// A file that is still missing is downloaded from its catalog URL when there is one. Every file with a catalog checksum is
/// verified before use. When nothing is found the error is one line that lists where it looked and how to get the file.
/// </summary>
public sealed class AssetLocator
{
    /// <summary>Environment variable naming a datasets folder.</summary>
    public const string DataVariable = "MLPIPELINES_DATA";

    /// <summary>Environment variable naming a models folder.</summary>
    public const string ModelsVariable = "MLPIPELINES_MODELS";

    /// <summary>Environment variable naming the user cache folder.</summary>
    public const string CacheVariable = "MLPIPELINES_CACHE";

    private static readonly HttpClient SharedHttpClient = new() { Timeout = TimeSpan.FromMinutes(30) };
    private readonly AssetSearchOptions _options;
    private readonly FileChecksums _checksums;

    public AssetLocator(AssetSearchOptions? options = null)
    {
        _options = options ?? new AssetSearchOptions();
        CacheRoot = Path.GetFullPath(_options.CacheRoot ?? DefaultCacheRoot(_options.GetEnvironmentVariable));
        RepositoryRoot = _options.RepositoryRoot ?? RepositoryLayout.FindRoot(_options.WorkingDirectory);
        _checksums = new FileChecksums(CacheRoot);
    }

    /// <summary>The user cache folder (downloads, feature cache, checksums).</summary>
    public string CacheRoot { get; }

    /// <summary>The repository checkout, if the process runs inside one.</summary>
    public string? RepositoryRoot { get; }

    /// <summary>The default user cache: <c>$MLPIPELINES_CACHE</c>, <c>$XDG_CACHE_HOME/mlpipelines</c> or <c>~/.cache/mlpipelines</c>.</summary>
    public static string DefaultCacheRoot(Func<string, string?> environment)
    {
        if (environment(CacheVariable) is { Length: > 0 } explicitCache) return explicitCache;
        if (environment("XDG_CACHE_HOME") is { Length: > 0 } xdg) return Path.Combine(xdg, "mlpipelines");
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mlpipelines");
    }

    /// <summary>The folders searched for <paramref name="kind"/>, in order, with a description of each.</summary>
    public IReadOnlyList<SearchLocation> SearchPath(AssetKind kind)
    {
        string folderName = kind == AssetKind.Models ? "models" : "datasets";
        var (option, explicitFolder, variable) = kind == AssetKind.Models
            ? ("--models", _options.ModelsRoot, ModelsVariable)
            : ("--data-root", _options.DataRoot, DataVariable);
        var locations = new List<SearchLocation>();
        if (!string.IsNullOrEmpty(explicitFolder))
            locations.Add(new SearchLocation(option, Path.GetFullPath(explicitFolder)));
        if (_options.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment)
            locations.Add(new SearchLocation("$" + variable, Path.GetFullPath(fromEnvironment)));
        string workingDirectory = _options.WorkingDirectory ?? Environment.CurrentDirectory;
        locations.Add(new SearchLocation("./data", Path.GetFullPath(Path.Combine(workingDirectory, "data", folderName))));
        if (RepositoryLayout.SharedFolder(RepositoryRoot) is { } shared)
            locations.Add(new SearchLocation("shared/ beside the repository", Path.Combine(shared, folderName)));
        locations.Add(new SearchLocation("user cache", Path.Combine(CacheRoot, folderName)));
        return locations;
    }

    /// <summary>The verified local path of a model's ONNX file.</summary>
    public string LocateModel(ModelCard model) => LocateFile(AssetKind.Models, model, $"model '{model.Name}'");

    /// <summary>The verified local path of a catalog file, downloading it when allowed and possible.</summary>
    public string LocateFile(AssetKind kind, ICatalogFile file, string? what = null)
    {
        what ??= $"file '{file.File}'";
        var searched = SearchPath(kind);
        foreach (var location in searched)
        {
            string candidate = Path.Combine(location.Folder, file.File);
            if (File.Exists(candidate))
                return Verified(candidate, file);
        }
        string cacheTarget = Path.Combine(searched[^1].Folder, file.File);
        string? downloadFailure = null;
        if (!string.IsNullOrEmpty(file.Url) && _options.AllowDownload)
        {
            try
            {
                Download(file.Url, cacheTarget);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                downloadFailure = $"download from {file.Url} failed ({e.Message.Split('\n')[0].TrimEnd('.')})";
            }
            if (downloadFailure is null)
            {
                try
                {
                    return Verified(cacheTarget, file);
                }
                catch (ChecksumMismatchException)
                {
                    File.Delete(cacheTarget); // never leave a wrong download where the next run would find it
                    throw;
                }
            }
        }
        throw new AssetNotFoundException(
            $"{what} ({file.File}) not found; looked in {Describe(searched)}" +
            (downloadFailure is null ? "" : $"; {downloadFailure}") +
            $"; {HowToGet(kind, file)}");
    }

    /// <summary>The first existing folder <paramref name="relativeFolder"/> in the search path of <paramref name="kind"/>.</summary>
    public string LocateDirectory(AssetKind kind, string relativeFolder, string what)
    {
        var searched = SearchPath(kind);
        foreach (var location in searched)
        {
            string candidate = Path.Combine(location.Folder, relativeFolder);
            if (Directory.Exists(candidate))
                return candidate;
        }
        string option = kind == AssetKind.Models ? "--models" : "--data-root";
        throw new AssetNotFoundException(
            $"{what} ({relativeFolder}/) not found; looked in {Describe(searched)}; " +
            $"put the folder in one of these places or pass {option} <folder that contains {relativeFolder}/>");
    }

    private string Verified(string path, ICatalogFile file)
    {
        if (string.IsNullOrEmpty(file.Sha256))
            return path;
        string actual = _checksums.Sha256(path);
        if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ChecksumMismatchException(path, file.Sha256, actual);
        return path;
    }

    private void Download(string url, string target)
    {
        var client = _options.HttpClient ?? SharedHttpClient;
        using var response = client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        AtomicFile.WriteStream(target, output =>
        {
            using var body = response.Content.ReadAsStream();
            body.CopyTo(output);
        });
    }

    private static string Describe(IReadOnlyList<SearchLocation> searched) =>
        string.Join(", ", searched.Select(l => $"{l.Folder} ({l.Description})"));

    private static string HowToGet(AssetKind kind, ICatalogFile file)
    {
        string option = kind == AssetKind.Models ? "--models" : "--data-root";
        string variable = kind == AssetKind.Models ? ModelsVariable : DataVariable;
        string where = string.IsNullOrEmpty(file.Url)
            ? $"no public URL serves this exact file, so copy it from a shared/ folder (origin: {file.Source})"
            : $"download it from {file.Url}";
        return $"{where}, then pass {option} <folder> or set ${variable}";
    }
}

/// <summary>One folder of the search path and why it is searched.</summary>
public sealed record SearchLocation(string Description, string Folder);
