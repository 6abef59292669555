using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MLPipelines.Diagnostics;

/// <summary>
/// Resident memory of this process (current and peak) and a way to hand freed native memory back to the system between
/// experiment rows. TorchSharp, ONNX Runtime and SkiaSharp allocate natively through glibc's malloc, whose per-thread arenas
/// keep freed blocks mapped: without a trim, every row's high-water mark adds to the next row's.
/// </summary>
public static partial class ProcessMemory
{
    /// <summary>The resident set size now (VmRSS on Linux, the working set elsewhere).</summary>
    public static long ResidentBytes() => ReadStatus("VmRSS:") ?? CurrentProcess(p => p.WorkingSet64);

    /// <summary>The largest resident set size so far (VmHWM on Linux, the peak working set elsewhere).</summary>
    public static long PeakResidentBytes() => ReadStatus("VmHWM:") ?? CurrentProcess(p => p.PeakWorkingSet64);

    /// <summary>
    /// Runs a full blocking garbage collection (which finalizes undisposed native tensors and sessions) and, on glibc, returns
    /// free heap pages of every arena to the system with <c>malloc_trim(0)</c>. Returns the resident size afterwards.
    /// </summary>
    public static long ReleaseFreedMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (OperatingSystem.IsLinux())
        {
            try { MallocTrim(0); }
            catch (EntryPointNotFoundException) { } // not glibc (e.g. musl): nothing to trim
            catch (DllNotFoundException) { }
        }
        return ResidentBytes();
    }

    /// <summary>Bytes as mebibytes or gibibytes with one decimal, e.g. "3.9 GiB".</summary>
    public static string Format(long bytes) => bytes >= 1L << 30
        ? FormattableString.Invariant($"{bytes / (double)(1L << 30):0.0} GiB")
        : FormattableString.Invariant($"{bytes / (double)(1L << 20):0} MiB");

    private static long? ReadStatus(string field)
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line.AsSpan(field.Length).Trim().ToString().Split(' ')[0]) * 1024;
        return null;
    }

    private static long CurrentProcess(Func<Process, long> read)
    {
        using var process = Process.GetCurrentProcess();
        return read(process);
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
