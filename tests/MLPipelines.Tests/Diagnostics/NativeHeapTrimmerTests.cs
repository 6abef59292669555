using System.Runtime.InteropServices;
using MLPipelines.Diagnostics;
using Xunit;

namespace MLPipelines.Tests.Diagnostics;

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
            long held = ProcessMemory.ResidentBytes();

            var trimmer = new NativeHeapTrimmer(1);
            Assert.True(trimmer.StepCompleted());
            long afterTrim = ProcessMemory.ResidentBytes();

            Assert.True(held - afterTrim >= 128L << 20,
                $"the trim returned only {ProcessMemory.Format(held - afterTrim)} of the 256 MiB freed ({ProcessMemory.Format(held)} → {ProcessMemory.Format(afterTrim)})");
        }
        finally
        {
            foreach (nint pin in pins.Where(p => p != 0)) Marshal.FreeHGlobal(pin);
        }
    }
}
