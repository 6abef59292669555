namespace MLPipelines.Tests;

/// <summary>
/// One cache folder (feature cache, featurizer graphs, checksums) shared by the tests of a test run, so images are featurized
/// once per run rather than once per test, and the user's own cache is never touched. The folder holds checkpoints and
/// featurized images (up to half a gigabyte), so it is deleted when the test process exits: left behind, every run's copy
/// filled the disk of a shared development machine.
/// </summary>
internal static class TestCache
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        string path = Path.Combine(Path.GetTempPath(), $"mlpipelines-test-cache-{Environment.ProcessId}");
        Directory.CreateDirectory(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(path, recursive: true); }
            catch (IOException) { } // a file still open at exit: the temporary folder's usual clean-up gets it later
            catch (UnauthorizedAccessException) { }
        };
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
