namespace MLPipelines.Tests.Reports;

/// <summary>Paths relative to the repository, found by walking up from the test binaries to MLPipelines.sln.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The shared data folder that sits beside the repository (datasets, models, images).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "MLPipelines.sln")))
                return directory.FullName;
        throw new DirectoryNotFoundException($"No MLPipelines.sln above {AppContext.BaseDirectory}.");
    }
}
