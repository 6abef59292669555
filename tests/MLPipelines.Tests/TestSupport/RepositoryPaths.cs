namespace MLPipelines.Tests;

/// <summary>Paths relative to the repository, found by walking up from the test binaries to MLPipelines.sln.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The shared data folder that sits beside the repository (datasets, models, images).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>A file or folder under ../shared.</summary>
    public static string SharedPath(params string[] parts) => Path.Combine([Shared, .. parts]);

    /// <summary>The PACS cartoon domain (2344 images, 7 classes).</summary>
    public static string PacsCartoon => SharedPath("datasets", "pacs", "cartoon");

    /// <summary>A shared ONNX model file.</summary>
    public static string Model(string name) => SharedPath("models", name + ".onnx");

    /// <summary>The build configuration of the running tests (Debug or Release), read from the output path.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Replace('\\', '/').Contains("/Release/") ? "Release" : "Debug";

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "MLPipelines.sln")))
                return directory.FullName;
        throw new DirectoryNotFoundException($"No MLPipelines.sln above {AppContext.BaseDirectory}.");
    }
}
