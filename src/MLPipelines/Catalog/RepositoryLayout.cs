namespace MLPipelines.Catalog;

/// <summary>Finds the MLPipelines checkout (the folder with <c>MLPipelines.sln</c>) that the current process runs from, if any.</summary>
public static class RepositoryLayout
{
    /// <summary>The marker file of the repository root.</summary>
    public const string SolutionFile = "MLPipelines.sln";

    /// <summary>
    /// The repository root above <paramref name="startDirectory"/>, else above the working directory, else above the
    /// application's base directory (bin/…/net10.0 inside a checkout); null outside a checkout.
    /// </summary>
    public static string? FindRoot(string? startDirectory = null)
    {
        foreach (var start in new[] { startDirectory, Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            if (start is null) continue;
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                    return dir.FullName;
        }
        return null;
    }

    /// <summary>The <c>shared/</c> folder beside the repository (<c>&lt;root&gt;/../shared</c>), if the repository is found.</summary>
    public static string? SharedFolder(string? repositoryRoot) =>
        repositoryRoot is null ? null : Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared"));
}
