using MLPipelines.Diagnostics;

namespace MLPipelines.Tests.Diagnostics;

/// <summary>
/// The command line restarts itself with glibc's large-block settings, keeping its arguments, output and exit code, unless
/// the user opted out or set glibc's thresholds themselves.
/// </summary>
public sealed class MallocTuningTests
{
    [Fact]
    public void The_command_line_runs_with_the_tunables_and_keeps_arguments_with_spaces()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "glibc tunables are Linux only");
        using var folder = new TemporaryFolder("malloc tuning");
        string tuned = folder.File("with spaces 'and quotes'", "tuned.md");
        string plain = folder.File("plain", "plain.md");
        string[] bench = ["models", "bench", "builtin:lenet", "--input-size", "28", "--quick", "--threads", "1", "--measure", "train", "--results"];

        var (code, _, error) = CliProcess.Run([.. bench, tuned]);
        Assert.True(code == 0, $"exit code {code}: {error}");
        Assert.Contains("glibc malloc with a 1 GiB mmap threshold (GLIBC_TUNABLES)", File.ReadAllText(tuned));

        (code, _, error) = CliProcess.RunWith(new Dictionary<string, string> { [MallocTuning.OptOutVariable] = "off" }, [.. bench, plain]);
        Assert.True(code == 0, $"exit code {code}: {error}");
        Assert.Contains("glibc malloc defaults", File.ReadAllText(plain));

        // A user's own threshold wins: no relaunch, and the report names it.
        string own = folder.File("own", "own.md");
        (code, _, error) = CliProcess.RunWith(new Dictionary<string, string> { ["MALLOC_MMAP_THRESHOLD_"] = "4194304" }, [.. bench, own]);
        Assert.True(code == 0, $"exit code {code}: {error}");
        Assert.Contains("glibc malloc with MALLOC_MMAP_THRESHOLD_=4194304;", File.ReadAllText(own));
    }

    [Fact]
    public void A_failing_command_keeps_its_exit_code_and_error_through_the_relaunch()
    {
        var (code, output, error) = CliProcess.Run("no-such-verb");
        Assert.NotEqual(0, code);
        Assert.Contains("no-such-verb", output + error);
    }
}
