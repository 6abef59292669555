using System.Reflection;
using System.Runtime.Loader;

namespace MLPipelines.Reports.Plots;

/// <summary>
/// The isolated load context of the plotting plugin. ScottPlot 5 needs SkiaSharp 3, while ML.NET's image transforms in the
/// default context need SkiaSharp 2.88; here SkiaSharp 3, HarfBuzzSharp, ScottPlot and their native libraries load from
/// the plugin folder as its .deps.json lists them. Framework assemblies are not in that list and come from the default
/// context, so only framework types (string, byte[], exceptions) cross the boundary.
/// </summary>
internal sealed class PlottingLoadContext(string pluginAssemblyPath) : AssemblyLoadContext("MLPipelines.Plotting", isCollectible: false)
{
    private readonly AssemblyDependencyResolver _resolver = new(pluginAssemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        if (path is not null)
            return LoadUnmanagedDllFromPath(path);
        // Falling back to default probing would bind SkiaSharp 3 to the app's libSkiaSharp 2.88 and crash later in odd ways.
        if (IsPluginNativeLibrary(unmanagedDllName))
            throw new DllNotFoundException(
                $"The plotting plugin has no native '{unmanagedDllName}' for {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier} " +
                $"in {Path.GetDirectoryName(pluginAssemblyPath)}; build with -p:PlottingRuntimeIdentifiers=<rid> (see docs/plotting.md).");
        return IntPtr.Zero;
    }

    private static bool IsPluginNativeLibrary(string name) =>
        name.Contains("SkiaSharp", StringComparison.OrdinalIgnoreCase) || name.Contains("HarfBuzzSharp", StringComparison.OrdinalIgnoreCase);
}
