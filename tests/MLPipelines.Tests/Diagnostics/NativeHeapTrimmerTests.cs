using System.Runtime.InteropServices;
using MLPipelines.Diagnostics;
using Xunit;

namespace MLPipelines.Tests.Diagnostics;

/// <summary>
/// Runs its tests alone, after the parallel ones: a test that reads the process's memory is upset by other tests allocating
/// (or reusing the freed blocks) at the same time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "process memory";
}

[Collection(ProcessMemoryCollection.Name)]
public sealed class NativeHeapTrimmerTests
{
    [Fact]
    public void TrimsOnEveryNthStepAndNeverWithZero()
    {
        var trimmer = new NativeHeapTrimmer(3);
        bool[] trimmed = Enumerable.Range(0, 7).Select(_ => trimmer.StepCompleted()).ToArray();
        if (OperatingSystem.IsLinux())
            Assert.Equal([false, false, true, false, false, true, false], trimmed);
        Assert.Equal(trimmed.Count(t => t), trimmer.Trims);

        var never = new NativeHeapTrimmer(0);
        Assert.All(Enumerable.Range(0, 5), _ => Assert.False(never.StepCompleted()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NativeHeapTrimmer(-1));
    }

    [Fact]
    public void ReturnsFreedHeapBlocksThatGlibcKeeps()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "malloc_trim is glibc's");
        const int blocks = 4096, blockBytes = 64 * 1024; // 256 MiB in blocks below glibc's mmap threshold, so they come from the heap
        var ones = Enumerable.Repeat((byte)1, blockBytes).ToArray();
        var data = new nint[blocks];
        var pins = new nint[blocks];
        try
        {
            for (int i = 0; i < blocks; i++)
            {
                data[i] = Marshal.AllocHGlobal(blockBytes); // malloc on Linux
                Marshal.Copy(ones, 0, data[i], blockBytes); // touch every page, so it is resident
                // Keeps the freed blocks apart, so that they cannot merge into the heap's top, which glibc gives back by itself.
                // A page-sized pin is too big for glibc's small-block caches, so it comes from right after the block.
                pins[i] = Marshal.AllocHGlobal(4096);
            }
            foreach (nint block in data) Marshal.FreeHGlobal(block);
            // Counts the freed blocks' own resident pages (mincore) rather than the process's resident size, which other
            // threads' allocations move too.
            long held = ResidentPagesIn(data, blockBytes);

            var trimmer = new NativeHeapTrimmer(1);
            Assert.True(trimmer.StepCompleted());
            long afterTrim = ResidentPagesIn(data, blockBytes);

            long page = Environment.SystemPageSize;
            Assert.True(held * page >= 128L << 20, $"only {ProcessMemory.Format(held * page)} of the freed 256 MiB was still resident before the trim");
            Assert.True(afterTrim * 4 <= held,
                $"the trim returned only {ProcessMemory.Format((held - afterTrim) * page)} of the {ProcessMemory.Format(held * page)} glibc kept ({held} → {afterTrim} resident pages)");
        }
        finally
        {
            foreach (nint pin in pins.Where(p => p != 0)) Marshal.FreeHGlobal(pin);
        }
    }

    /// <summary>
    /// Resident pages among the whole pages that lie inside each block (the block's first page also holds glibc's header).
    /// A page glibc has unmapped (a heap it shrank) is not resident.
    /// </summary>
    private static long ResidentPagesIn(nint[] blocks, int blockBytes)
    {
        long page = Environment.SystemPageSize, resident = 0;
        var vector = new byte[blockBytes / page + 1];
        foreach (nint block in blocks)
        {
            long start = ((long)block + page - 1) / page * page, end = ((long)block + blockBytes) / page * page;
            for (long at = start; at < end; at += page)
                if (IsResident(at, page, vector)) resident++;
        }
        return resident;
    }

    private static bool IsResident(long address, long page, byte[] vector)
    {
        if (MinCore((nint)address, (nuint)page, vector) == 0) return (vector[0] & 1) != 0;
        int errno = Marshal.GetLastPInvokeError();
        return errno == UnmappedErrno ? false : throw new InvalidOperationException($"mincore failed with errno {errno}");
    }

    private const int UnmappedErrno = 12; // ENOMEM: the range is not mapped

    [DllImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static extern int MinCore(nint address, nuint length, byte[] vector);
}
