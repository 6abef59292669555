using System.Runtime.InteropServices;
using MLPipelines.Torch;
using MLPipelines.Torch.Native;
using TorchSharp;

namespace MLPipelines.Tests.Torch;

/// <summary>TorchSharp's native library loads and computes (the point of the whole fix).</summary>
public class TorchSharpNativeLoadTests
{
    [Fact]
    public void TorchSharpLoadsAndItsConv2dMatchesAHandComputation()
    {
        TorchSharpRuntime.EnsureInitialized();

        // 3x3 input 1..9; channel 0 uses kernel [[1,2],[3,4]] + 0.5, channel 1 picks the lower-right pixel - 1.
        using var input = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, [1, 1, 3, 3]);
        using var weight = torch.tensor(new float[] { 1, 2, 3, 4, 0, 0, 0, 1 }, [2, 1, 2, 2]);
        using var bias = torch.tensor(new float[] { 0.5f, -1 });
        using var output = torch.nn.functional.conv2d(input, weight, bias);

        Assert.Equal([1L, 2, 2, 2], output.shape);
        // Cross-correlation by hand: 1*1+2*2+4*3+5*4 = 37, 2+6+15+24 = 47, 4+10+21+32 = 67, 5+12+24+36 = 77.
        float[] expected = [37.5f, 47.5f, 67.5f, 77.5f, 4, 5, 7, 8];
        Assert.Equal(expected, output.data<float>().ToArray());
    }

    [Fact]
    public void EnsureInitializedIsIdempotentAndLoadsTheShimExactlyWhereTheSystemNeedsIt()
    {
        TorchSharpRuntime.EnsureInitialized();
        TorchSharpRuntime.EnsureInitialized();

        bool needed = OperatingSystem.IsLinux() && LibTorchSharpAssessment
            .ForThisSystem(ElfSymbolVersions.ReadVersionNeeds(OutputLibTorchSharp()))
            .Fix == LibTorchSharpFix.MarkNeedWeakAndLoadShim;
        Assert.Equal(needed, TorchSharpRuntime.ShimLoaded);
        // Independent evidence: is the shim mapped into this process at all?
        bool mapped = OperatingSystem.IsLinux() &&
                      File.ReadAllText("/proc/self/maps").Contains("/" + LibTorchSharpAssessment.ShimFileName + "\n");
        Assert.Equal(needed, mapped);
    }

    [Fact]
    public void TheBuildOutputIsPatchedAndHasTheShimExactlyWhereTheSystemNeedsIt()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the fix is Linux-only");
        string library = OutputLibTorchSharp();
        IReadOnlyList<ElfVersionNeed> needs = ElfSymbolVersions.ReadVersionNeeds(library);
        ElfVersionNeed? need = needs.SingleOrDefault(n => n.File == "libstdc++.so.6" && n.Version == "GLIBCXX_3.4.32");
        bool needed = LibTorchSharpAssessment.ForThisSystem(needs).Fix == LibTorchSharpFix.MarkNeedWeakAndLoadShim;
        // Where the system provides GLIBCXX_3.4.32 (or TorchSharp stops needing it) the build must leave the library exactly
        // as restored and add no shim.
        Assert.Equal(needed, need?.IsWeak ?? false);
        Assert.Equal(needed, File.Exists(Path.Combine(Path.GetDirectoryName(library)!, LibTorchSharpAssessment.ShimFileName)));
        string? restored = NativeTestFiles.RestoredLibTorchSharp();
        if (!needed && restored != null) Assert.Equal(NativeTestFiles.Sha256(restored), NativeTestFiles.Sha256(library));
    }

    internal static string OutputLibTorchSharp() =>
        TorchSharpRuntime.FindInNativeSearchDirectories(LibTorchSharpAssessment.LibraryFileName)
        ?? throw new FileNotFoundException("libLibTorchSharp.so is not in the test output");
}

/// <summary>The ELF patcher: marks one version need weak in a new copy, changes nothing else, never writes through to the source.</summary>
public class ElfVersionNeedPatcherTests(NativeTestFiles files) : IClassFixture<NativeTestFiles>
{
    [Fact]
    public void ACopyOfASyntheticLibraryGetsTheWeakFlagAndNoOtherByteChanges()
    {
        string source = files.Consumer();
        string before = NativeTestFiles.Sha256(source);
        string copy = files.NewTemporaryPath("libconsumer.so");

        var result = ElfVersionNeedPatcher.WriteCopyWithWeakVersionNeed(source, copy, "libprovider.so.1", "PROVIDER_1.0");

        Assert.Equal(WeakVersionNeedCopyResult.Written, result);
        AssertOnlyThatNeedBecameWeak(source, copy, "libprovider.so.1", "PROVIDER_1.0");
        Assert.Equal(before, NativeTestFiles.Sha256(source));
    }

    [Fact]
    public void ACopyOfTheRestoredLibTorchSharpGetsTheWeakFlagAndTheNuGetCacheIsUntouched()
    {
        string? restored = NativeTestFiles.RestoredLibTorchSharp();
        Assert.SkipWhen(restored == null, "the restored TorchSharp package is not in the default NuGet cache");
        string before = NativeTestFiles.Sha256(restored!);
        string copy = files.NewTemporaryPath("libLibTorchSharp.so");

        var result = ElfVersionNeedPatcher.WriteCopyWithWeakVersionNeed(restored!, copy, "libstdc++.so.6", "GLIBCXX_3.4.32");

        Assert.Equal(WeakVersionNeedCopyResult.Written, result);
        AssertOnlyThatNeedBecameWeak(restored!, copy, "libstdc++.so.6", "GLIBCXX_3.4.32");
        Assert.Equal(before, NativeTestFiles.Sha256(restored!));
    }

    [Fact]
    public void AnUpToDateCopyIsLeftAloneSoIncrementalBuildsDoNotRewriteIt()
    {
        string source = files.Consumer();
        string copy = files.NewTemporaryPath("libconsumer.so");
        ElfVersionNeedPatcher.WriteCopyWithWeakVersionNeed(source, copy, "libprovider.so.1", "PROVIDER_1.0");
        var writtenAt = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(copy, writtenAt);
        ulong inode = NativeTestFiles.Inode(copy);

        var again = ElfVersionNeedPatcher.WriteCopyWithWeakVersionNeed(source, copy, "libprovider.so.1", "PROVIDER_1.0");

        Assert.Equal(WeakVersionNeedCopyResult.DestinationAlreadyUpToDate, again);
        Assert.Equal(writtenAt, File.GetLastWriteTimeUtc(copy));
        Assert.Equal(inode, NativeTestFiles.Inode(copy));
    }

    [Fact]
    public void AHardLinkedDestinationIsReplacedNotWrittenThrough()
    {
        // The situation the NuGet cache must survive: the destination is another name of the source's inode.
        string source = files.NewTemporaryPath("libconsumer.so");
        File.Copy(files.Consumer(), source);
        string destination = Path.Combine(Path.GetDirectoryName(source)!, "linked-libconsumer.so");
        NativeTestFiles.HardLink(source, destination);
        string before = NativeTestFiles.Sha256(source);

        var result = ElfVersionNeedPatcher.WriteCopyWithWeakVersionNeed(source, destination, "libprovider.so.1", "PROVIDER_1.0");

        Assert.Equal(WeakVersionNeedCopyResult.Written, result);
        Assert.Equal(before, NativeTestFiles.Sha256(source));
        Assert.NotEqual(NativeTestFiles.Inode(source), NativeTestFiles.Inode(destination));
        AssertOnlyThatNeedBecameWeak(source, destination, "libprovider.so.1", "PROVIDER_1.0");
    }

    [Fact]
    public void ALibraryWithoutThatNeedIsSkippedAndNothingIsWritten()
    {
        string source = files.Consumer();
        string copy = files.NewTemporaryPath("libconsumer.so");

        var result = ElfVersionNeedPatcher.WriteCopyWithWeakVersionNeed(source, copy, "libstdc++.so.6", "GLIBCXX_3.4.32");

        Assert.Equal(WeakVersionNeedCopyResult.SourceHasNoSuchNeed, result);
        Assert.False(File.Exists(copy));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(copy)!)); // not even a leftover temporary file
    }

    [Fact]
    public void AFileThatIsNotAnElfLibraryIsRefusedWithItsNameInTheMessage()
    {
        string notElf = files.NewTemporaryPath("libnot-elf.so");
        File.WriteAllText(notElf, "INPUT(-lstdc++)\n" + new string(' ', 100)); // what a linker script "library" looks like
        string copy = files.NewTemporaryPath("out.so");

        var error = Assert.Throws<InvalidDataException>(() =>
            ElfVersionNeedPatcher.WriteCopyWithWeakVersionNeed(notElf, copy, "libstdc++.so.6", "GLIBCXX_3.4.32"));

        Assert.Contains(notElf, error.Message);
        Assert.Contains("not an ELF file", error.Message);
        Assert.False(File.Exists(copy));
    }

    [Fact]
    public void ATruncatedLibraryIsRefusedRatherThanMisread()
    {
        string truncated = files.NewTemporaryPath("libtruncated.so");
        byte[] whole = File.ReadAllBytes(files.Consumer());
        File.WriteAllBytes(truncated, whole[..(whole.Length / 2)]); // section headers sit at the end, so they are cut off

        Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.ReadVersionNeeds(truncated));
    }

    private static void AssertOnlyThatNeedBecameWeak(string original, string patched, string file, string version)
    {
        byte[] before = File.ReadAllBytes(original);
        byte[] after = File.ReadAllBytes(patched);
        Assert.Equal(before.Length, after.Length);
        IReadOnlyList<ElfVersionNeed> needsBefore = ElfSymbolVersions.ReadVersionNeeds(original);
        ElfVersionNeed target = Assert.Single(needsBefore, n => n.File == file && n.Version == version);
        Assert.False(target.IsWeak);

        int[] changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        Assert.Equal([(int)target.FlagsOffset], changed); // VER_FLG_WEAK is bit 1 of the low byte of vna_flags

        IReadOnlyList<ElfVersionNeed> needsAfter = ElfSymbolVersions.ReadVersionNeeds(patched);
        Assert.Equal(needsBefore.Select(n => (n.File, n.Version)), needsAfter.Select(n => (n.File, n.Version)));
        Assert.All(needsAfter, n => Assert.Equal(n.File == file && n.Version == version, n.IsWeak));
        Assert.True(needsBefore.Count > 1, "the fixture should have other needs that must stay as they were");
    }
}

/// <summary>The no-op detection: which libstdc++ is used, what it defines, and what follows from that.</summary>
public class LibStdCxxDetectionTests(NativeTestFiles files) : IClassFixture<NativeTestFiles>
{
    private static readonly IReadOnlyList<ElfVersionNeed> NeedsOfTorchSharp0107 =
    [
        new("libstdc++.so.6", "GLIBCXX_3.4.30", 0, 0),
        new("libstdc++.so.6", "GLIBCXX_3.4.32", 0, 0),
        new("libc.so.6", "GLIBC_2.34", 0, 0),
    ];

    [Fact]
    public void TheLocatedLibStdCxxIsTheOneMappedIntoThisProcess()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Linux only");
        string located = SystemLibStdCxx.Locate() ?? throw new InvalidOperationException("no libstdc++.so.6 located");

        // The .NET runtime links libstdc++, so the dynamic linker has already picked one; /proc/self/maps says which.
        string[] mapped = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).StartsWith("libstdc++.so.6", StringComparison.Ordinal))
            .Select(fields => fields[5]).Distinct().ToArray();
        Assert.Equal(NativeTestFiles.RealPath(Assert.Single(mapped)), NativeTestFiles.RealPath(located));
    }

    [Fact]
    public void TheVersionReaderAgreesWithTheDynamicLinkerAboutTheMissingVersion()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Linux only");
        string libStdCxx = SystemLibStdCxx.Locate()!;
        IReadOnlyList<string> definitions = ElfSymbolVersions.ReadVersionDefinitions(libStdCxx);

        Assert.Contains("GLIBCXX_3.4", definitions);
        Assert.Contains("CXXABI_1.3", definitions);
        Assert.DoesNotContain("libstdc++.so.6", definitions); // the base entry names the file, it is not a version
        // dlvsym answers from the loaded library's own tables: the symbol at that version exists exactly when the version does.
        IntPtr handle = dlopen("libstdc++.so.6", 1);
        Assert.NotEqual(IntPtr.Zero, handle);
        bool linkerHasIt = dlvsym(handle, "_ZSt21ios_base_library_initv", "GLIBCXX_3.4.32") != IntPtr.Zero;
        Assert.Equal(linkerHasIt, definitions.Contains("GLIBCXX_3.4.32"));
    }

    [Fact]
    public void ALibStdCxxThatDefinesTheVersionMeansNothingIsDone()
    {
        string gcc13 = files.FakeLibStdCxx("GLIBCXX_3.4.30", "GLIBCXX_3.4.31", "GLIBCXX_3.4.32", "GLIBCXX_3.4.33");

        var assessment = LibTorchSharpAssessment.Assess(NeedsOfTorchSharp0107, gcc13);

        Assert.Equal(LibTorchSharpFix.SystemLibStdCxxProvidesIt, assessment.Fix);
        Assert.Equal("GLIBCXX_3.4.33", assessment.LibStdCxxNewestGlibcxx);
    }

    [Fact]
    public void ALibStdCxxThatStopsAt3_4_30MeansTheFixIsApplied()
    {
        string gcc12 = files.FakeLibStdCxx("GLIBCXX_3.4.9", "GLIBCXX_3.4.29", "GLIBCXX_3.4.30");

        var assessment = LibTorchSharpAssessment.Assess(NeedsOfTorchSharp0107, gcc12);

        Assert.Equal(LibTorchSharpFix.MarkNeedWeakAndLoadShim, assessment.Fix);
        Assert.Equal("GLIBCXX_3.4.30", assessment.LibStdCxxNewestGlibcxx); // numerically, not as text (3.4.9 > 3.4.30 as text)
        Assert.Contains("stops at GLIBCXX_3.4.30 and lacks GLIBCXX_3.4.32", assessment.Explanation);
    }

    [Fact]
    public void ALibTorchSharpThatDoesNotNeedTheVersionMeansNothingIsDone()
    {
        string gcc12 = files.FakeLibStdCxx("GLIBCXX_3.4.30");
        IReadOnlyList<ElfVersionNeed> futureTorchSharp = [new("libstdc++.so.6", "GLIBCXX_3.4.30", 0, 0)];

        Assert.Equal(LibTorchSharpFix.NotNeededByThisLibTorchSharp, LibTorchSharpAssessment.Assess(futureTorchSharp, gcc12).Fix);
    }

    [Fact]
    public void NoLibStdCxxMeansNothingIsDone()
    {
        Assert.Equal(LibTorchSharpFix.LibStdCxxNotFound, LibTorchSharpAssessment.Assess(NeedsOfTorchSharp0107, null).Fix);
        Assert.Equal(LibTorchSharpFix.LibStdCxxNotFound,
            LibTorchSharpAssessment.Assess(NeedsOfTorchSharp0107, files.NewTemporaryPath("libstdc++.so.6")).Fix);
    }

    [DllImport("libc.so.6")]
    private static extern IntPtr dlopen(string file, int mode);

    [DllImport("libc.so.6")]
    private static extern IntPtr dlvsym(IntPtr handle, string symbol, string version);
}
