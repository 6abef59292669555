namespace MLPipelines.Tests;

/// <summary>
/// One cache folder (feature cache, featurizer graphs, checksums) shared by the tests of a test run, so images are featurized
/// once per run rather than once per test, and the user's own cache is never touched.
/// </summary>
internal static class TestCache
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        string path = Path.Combine(Path.GetTempPath(), $"mlpipelines-test-cache-{Environment.ProcessId}");
        Directory.CreateDirectory(path);
        return path;
    });

    public static string Root => Folder.Value;

    /// <summary>Asset options that find ../shared and use the test cache; downloads off.</summary>
    public static MLPipelines.Catalog.AssetSearchOptions Assets => new()
    {
        CacheRoot = Root,
        RepositoryRoot = RepositoryPaths.Root,
        AllowDownload = false,
        GetEnvironmentVariable = _ => null,
    };
}
