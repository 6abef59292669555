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
    /// <see cref="ReleaseFreedMemory"/>, then <see cref="ResetPeak"/>: what an earlier measurement freed but the allocators
    /// still held does not count toward the next one's peak.
    /// </summary>
    public static bool ResetPeakAfterCollecting()
    {
        ReleaseFreedMemory();
        return ResetPeak();
    }

    /// <summary>
    /// Returns the free memory that glibc's malloc keeps in its arenas to the system (<c>malloc_trim(0)</c>) without a garbage
    /// collection, so that a resident-size sample measures what is in use. Returns false where there is no glibc.
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

    /// <summary>
    /// Runs a full blocking garbage collection (which finalizes undisposed native tensors and sessions) that also hands the
    /// collector's free regions back to the system, and, on glibc, returns free heap pages of every arena with
    /// <c>malloc_trim(0)</c>. Returns the resident size afterwards.
    /// </summary>
    public static long ReleaseFreedMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        // Aggressive also decommits: a forced collection leaves the freed regions committed for reuse, which after a
        // training run was 1-2 GiB of resident memory holding nothing (managed heap 0.4 GiB, 1.3 GiB committed).
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (OperatingSystem.IsLinux())
        {
            try { MallocTrim(0); }
            catch (EntryPointNotFoundException) { } // not glibc (e.g. musl): nothing to trim
            catch (DllNotFoundException) { }
        }
        return ResidentBytes();
    }

    /// <summary>
    /// "1.2 GiB resident (managed heap 150 MiB, 1.0 GiB committed)": resident memory with the .NET heap as of the last
    /// garbage collection and the memory the collector keeps committed (heap plus free space it holds for reuse), to tell
    /// managed from native memory.
    /// </summary>
    public static string Describe(long residentBytes)
    {
        var gc = GC.GetGCMemoryInfo();
        return $"{Format(residentBytes)} resident (managed heap {Format(gc.HeapSizeBytes)}, {Format(gc.TotalCommittedBytes)} committed)";
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
