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
                pins[i] = Marshal.AllocHGlobal(16); // keeps the freed blocks apart, so glibc cannot give them back by itself
            }
            foreach (nint block in data) Marshal.FreeHGlobal(block);
            // Counts the freed blocks' own resident pages (mincore) rather than the process's resident size, which other
            // threads' allocations move too.
            long held = ResidentPagesIn(data, blockBytes);

            var trimmer = new NativeHeapTrimmer(1);
            Assert.True(trimmer.StepCompleted());
            long afterTrim = ResidentPagesIn(data, blockBytes);

            long page = Environment.SystemPageSize;
            Assert.True(held * page >= 192L << 20, $"only {ProcessMemory.Format(held * page)} of the freed 256 MiB was still resident before the trim");
            Assert.True((held - afterTrim) * page >= 128L << 20,
                $"the trim returned only {ProcessMemory.Format((held - afterTrim) * page)} of the 256 MiB freed ({held} → {afterTrim} resident pages)");
        }
        finally
        {
            foreach (nint pin in pins.Where(p => p != 0)) Marshal.FreeHGlobal(pin);
        }
    }

    /// <summary>Resident pages in the whole pages that lie inside each block (the block's first page also holds glibc's header).</summary>
    private static long ResidentPagesIn(nint[] blocks, int blockBytes)
    {
        long page = Environment.SystemPageSize, resident = 0;
        var vector = new byte[blockBytes / page + 1];
        foreach (nint block in blocks)
        {
            long start = ((long)block + page - 1) / page * page, end = ((long)block + blockBytes) / page * page;
            if (end <= start) continue;
            if (MinCore((nint)start, (nuint)(end - start), vector) != 0)
                throw new InvalidOperationException($"mincore failed with errno {Marshal.GetLastPInvokeError()}");
            resident += vector.Take((int)((end - start) / page)).Count(v => (v & 1) != 0);
        }
        return resident;
    }

    [DllImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static extern int MinCore(nint address, nuint length, byte[] vector);
}
