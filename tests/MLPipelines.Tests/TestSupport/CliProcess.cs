using System.Diagnostics;

namespace MLPipelines.Tests;

/// <summary>Runs the built command-line app (src/Pipelines) as a separate process, as a user would, with the test run's cache.</summary>
internal static class CliProcess
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args) => RunWith(new Dictionary<string, string>(), args);

    /// <summary>Runs the app with extra environment variables.</summary>
    public static (int ExitCode, string Output, string Error) RunWith(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string dll = Path.Combine(RepositoryPaths.Root, "src", "Pipelines", "bin", RepositoryPaths.Configuration, "net10.0", "Pipelines.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var start = new ProcessStartInfo("dotnet", [dll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["MLPIPELINES_CACHE"] = TestCache.Root;
        // Spectre.Console wraps lines at the console width; a wide virtual console keeps table rows on one line.
        start.Environment["COLUMNS"] = "250";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
