using System.Diagnostics;

namespace MLPipelines.Reports.Plots;

/// <summary>
/// Finds the plugin folder that build/Plotting.targets copies next to the application, loads it into its
/// <see cref="PlottingLoadContext"/> once per process, and binds its entry point.
/// </summary>
internal sealed class PlottingPlugin
{
    /// <summary>Folder beside the application's assemblies; must match PlottingPluginFolder in build/Plotting.targets.</summary>
    public const string FolderName = "plotting";

    private const string AssemblyFileName = "MLPipelines.Plotting.dll";
    private const string EntryPointType = "MLPipelines.Plotting.PlotEntryPoint";
    private const string EntryPointMethod = "RenderPng";

    private static readonly Lazy<PlottingPlugin> Shared = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Func<string, byte[]> _renderPng;

    private PlottingPlugin(Func<string, byte[]> renderPng, TimeSpan loadTime)
    {
        _renderPng = renderPng;
        LoadTime = loadTime;
    }

    /// <summary>The plugin of this process, loaded on first use.</summary>
    public static PlottingPlugin Instance => Shared.Value;

    public static bool IsLoaded => Shared.IsValueCreated;

    /// <summary>How long locating, loading and binding the plugin took (not counting the first render).</summary>
    public TimeSpan LoadTime { get; }

    /// <summary>Renders a serialized <see cref="PlotRequest"/> to PNG bytes.</summary>
    public byte[] RenderPng(string requestJson) => _renderPng(requestJson);

    private static PlottingPlugin Load()
    {
        var stopwatch = Stopwatch.StartNew();
        string path = Locate(Path.GetDirectoryName(typeof(PlottingPlugin).Assembly.Location), AppContext.BaseDirectory);
        var context = new PlottingLoadContext(path);
        var assembly = context.LoadFromAssemblyPath(path);
        var method = assembly.GetType(EntryPointType, throwOnError: true)!.GetMethod(EntryPointMethod, [typeof(string)])
            ?? throw new MissingMethodException(EntryPointType, EntryPointMethod);
        // A delegate rather than MethodInfo.Invoke: plugin exceptions then arrive as they were thrown, not wrapped.
        var renderPng = method.CreateDelegate<Func<string, byte[]>>();
        return new PlottingPlugin(renderPng, stopwatch.Elapsed);
    }

    /// <summary>
    /// The plugin in the first of <paramref name="directories"/> that has it: beside MLPipelines.dll, else beside the
    /// application (the two differ when a host loads MLPipelines from elsewhere).
    /// </summary>
    internal static string Locate(params string?[] directories)
    {
        var candidates = directories
            .Where(directory => !string.IsNullOrEmpty(directory))
            .Select(directory => Path.Combine(directory!, FolderName, AssemblyFileName))
            .Distinct()
            .ToArray();
        return candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            $"Plotting plugin not found (looked for {string.Join(" and ", candidates)}). build/Plotting.targets copies it into " +
            $"'{FolderName}/' of every project that references MLPipelines; rebuild, or copy that folder when deploying by hand.");
    }
}
