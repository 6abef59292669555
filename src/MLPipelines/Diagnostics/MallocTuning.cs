using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MLPipelines.Diagnostics;

/// <summary>
/// Keeps training tensors out of per-allocation <c>mmap</c> on glibc. Glibc maps every block above its mmap threshold (at
/// most 32 MiB however it adapts) separately and unmaps it on free, so each training step faults in, zeroes and returns its
/// large activation tensors again: MobileNetV2 at 224 px, batch 16, spends more time in the kernel than in half of its
/// compute (8.8 images/s, 43 s of system time in 30 steps). With a 1 GiB threshold the same blocks are reused from the heap
/// (13.7 images/s, 4.5 s of system time, peak memory +4%); <see cref="NativeHeapTrimmer"/> still hands the heap's free pages
/// back every few steps. <c>mallopt</c> refuses thresholds above 32 MiB, and glibc reads its tunables only when a process
/// starts, so the command line starts itself again with <c>GLIBC_TUNABLES</c> set (<see cref="RelaunchIfUntuned"/>).
/// Programs that call the library directly can set the same variable (<see cref="Tunables"/>) before they start.
/// </summary>
public static partial class MallocTuning
{
    /// <summary>The glibc tunables: a 1 GiB mmap threshold, and a 1 GiB trim threshold so that a free does not trim by itself.</summary>
    public const string Tunables = "glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824";

    /// <summary>Set to <c>off</c> to keep glibc's defaults (no relaunch).</summary>
    public const string OptOutVariable = "MLPIPELINES_MALLOC_TUNING";

    private const string TunablesVariable = "GLIBC_TUNABLES";

    /// <summary>Whether this process started with <see cref="Tunables"/> in <c>GLIBC_TUNABLES</c>.</summary>
    public static bool IsActive => (Environment.GetEnvironmentVariable(TunablesVariable) ?? "").Contains(Tunables, StringComparison.Ordinal);

    /// <summary>
    /// The settings of glibc's mmap and trim behaviour that this process got from its environment other than
    /// <see cref="Tunables"/>: the <c>MALLOC_*_</c> variables and <c>glibc.malloc.*</c> tunables for the two thresholds, the
    /// top pad and the mmap count. A user who set any of them chose how large blocks are handled (for example
    /// <c>MALLOC_MMAP_THRESHOLD_=4194304</c> to bound memory), so the command line is not relaunched.
    /// </summary>
    public static IReadOnlyList<string> UserSettings()
    {
        var settings = new List<string>();
        string[] names = ["mmap_threshold", "trim_threshold", "top_pad", "mmap_max"];
        foreach (string name in names)
        {
            string variable = $"MALLOC_{name.ToUpperInvariant()}_";
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value) settings.Add($"{variable}={value}");
        }
        string tunables = (Environment.GetEnvironmentVariable(TunablesVariable) ?? "").Replace(Tunables, "", StringComparison.Ordinal);
        settings.AddRange(tunables.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Where(t => names.Any(name => t.StartsWith($"glibc.malloc.{name}=", StringComparison.Ordinal))));
        return settings;
    }

    /// <summary>One line for reports: which allocator settings the measured process ran with.</summary>
    public static string Describe()
    {
        if (!OperatingSystem.IsLinux()) return "system allocator";
        var user = UserSettings();
        string others = user.Count == 0 ? "" : " and " + string.Join(", ", user);
        return IsActive ? $"glibc malloc with a 1 GiB mmap threshold (GLIBC_TUNABLES){others}"
            : user.Count > 0 ? "glibc malloc with " + string.Join(", ", user)
            : "glibc malloc defaults";
    }

    /// <summary>
    /// On glibc Linux, when neither the tunables nor any <see cref="UserSettings"/> are set and <see cref="OptOutVariable"/> is
    /// not <c>off</c>, runs this process's command line again as a child with <see cref="Tunables"/> added to <c>GLIBC_TUNABLES</c>, waits for it and returns its
    /// exit code. Returns null when nothing was relaunched, and the caller goes on as usual. The child inherits the console,
    /// so progress bars and Ctrl+C behave as without the relaunch; the parent ignores Ctrl+C and forwards SIGTERM.
    /// </summary>
    public static int? RelaunchIfUntuned()
    {
        if (!OperatingSystem.IsLinux() || IsActive || UserSettings().Count > 0 || !HasGlibc()) return null;
        if (string.Equals(Environment.GetEnvironmentVariable(OptOutVariable), "off", StringComparison.OrdinalIgnoreCase)) return null;
        string? executable = Environment.ProcessPath;
        string[] arguments;
        try
        {
            // argv exactly as this process got it (dotnet Pipelines.dll …, dotnet exec …, or the app host), with no re-quoting.
            arguments = File.ReadAllText("/proc/self/cmdline").Split('\0')[1..^1];
        }
        catch (IOException)
        {
            return null;
        }
        if (executable is null) return null;

        var start = new ProcessStartInfo(executable, arguments) { UseShellExecute = false };
        string existing = Environment.GetEnvironmentVariable(TunablesVariable) ?? "";
        start.Environment[TunablesVariable] = existing.Length == 0 ? Tunables : existing + ":" + Tunables;

        using var child = Process.Start(start);
        if (child is null) return null;
        // The terminal sends Ctrl+C to the whole process group: the child handles it; the parent waits for the child.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            if (!child.HasExited) _ = Kill(child.Id, SigTerm);
        });
        child.WaitForExit();
        return child.ExitCode;
    }

    private static bool HasGlibc()
    {
        try
        {
            return GnuGetLibcVersion() != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // musl (Alpine) has neither gnu_get_libc_version nor these tunables.
        }
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static partial nint GnuGetLibcVersion();

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int processId, int signal);
}
