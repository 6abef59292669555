using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MLPipelines.Diagnostics;

/// <summary>
/// The process's resident memory as the kernel counts it: current (VmRSS) and peak (VmHWM) on Linux, the working set
/// elsewhere. Native libraries (libtorch, ONNX Runtime) allocate outside the .NET heap, so only these figures see them.
/// </summary>
public static class ProcessMemory
{
    /// <summary>The resident set size in bytes (VmRSS on Linux, working set elsewhere).</summary>
    public static long ResidentBytes() => StatusField("VmRSS:") ?? CurrentProcess(p => p.WorkingSet64);

    /// <summary>The peak resident set size in bytes since the process started or since <see cref="ResetPeak"/> (VmHWM on Linux).</summary>
    public static long PeakResidentBytes() => StatusField("VmHWM:") ?? CurrentProcess(p => p.PeakWorkingSet64);

    /// <summary>
    /// Starts a new peak: afterwards <see cref="PeakResidentBytes"/> counts from the current resident size, so that several
    /// benchmarks in one process each get their own peak. Linux only (writes 5 to /proc/self/clear_refs); returns false where
    /// the peak cannot be reset, and then the peak covers the whole process.
    /// </summary>
    public static bool ResetPeak()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Collects the .NET heap, trims glibc's heap (<see cref="TrimNativeHeap"/>) and then resets the peak, so that what an
    /// earlier measurement freed but the allocators still held does not count toward the next one.
    /// </summary>
    public static bool ResetPeakAfterCollecting()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        TrimNativeHeap();
        return ResetPeak();
    }

    /// <summary>
    /// Returns the free memory that glibc's malloc keeps in its arenas to the system (malloc_trim(0)), so that the resident
    /// size measures what is in use rather than what the allocator keeps cached. Returns false where there is no glibc.
    /// </summary>
    public static bool TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // musl and other C libraries have no malloc_trim.
        }
    }

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    private static long? StatusField(string field)
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
        return null;
    }

    private static long CurrentProcess(Func<Process, long> read)
    {
        using var process = Process.GetCurrentProcess();
        return read(process);
    }
}
