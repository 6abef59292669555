// Makes TorchSharp's native library load on systems whose libstdc++ predates GCC 13 (Debian 12: up to GLIBCXX_3.4.30).
// See docs/torchsharp-native.md for the why and the how.
//
// This one file is compiled twice, so that the build and the run time decide in exactly the same way:
//  - into MLPipelines.Torch (the runtime check in TorchSharpRuntime, and the tests), and
//  - by build/TorchSharpNative.targets into a small MSBuild task assembly, with TORCHSHARP_NATIVE_MSBUILD_TASK defined (that
//    adds the task class at the end). That compile references only the netstandard 2.0 facades MSBuild ships for inline
//    tasks, because the task runs inside MSBuild; so this file uses no Span, records or init accessors.
#nullable enable

using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace MLPipelines.Torch.Native
{
    /// <summary>One entry of an ELF file's version needs (.gnu.version_r): "I need version <see cref="Version"/> of <see cref="File"/>".</summary>
    internal sealed class ElfVersionNeed
    {
        public ElfVersionNeed(string file, string version, ushort flags, long flagsOffset)
        {
            File = file;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        /// <summary>The needed library's soname, e.g. libstdc++.so.6.</summary>
        public string File { get; }

        /// <summary>The needed version, e.g. GLIBCXX_3.4.32.</summary>
        public string Version { get; }

        /// <summary>vna_flags; <see cref="ElfSymbolVersions.WeakFlag"/> set means a missing version is not an error.</summary>
        public ushort Flags { get; }

        /// <summary>Byte offset of vna_flags in the file, the only bytes the patcher writes.</summary>
        public long FlagsOffset { get; }

        public bool IsWeak => (Flags & ElfSymbolVersions.WeakFlag) != 0;

        public override string ToString() => File + " " + Version + (IsWeak ? " (weak)" : "");
    }

    /// <summary>
    /// Reads the GNU symbol-versioning sections of a 64-bit little-endian ELF file: the versions it defines (.gnu.version_d) and
    /// the versions it needs from other libraries (.gnu.version_r). Anything else (32-bit, big-endian, not ELF, truncated)
    /// is refused with an <see cref="InvalidDataException"/> rather than guessed at.
    /// </summary>
    internal static class ElfSymbolVersions
    {
        /// <summary>VER_FLG_WEAK: the dynamic linker does not fail when a weak version need is missing from the library.</summary>
        public const ushort WeakFlag = 0x2;

        private const ushort BaseDefinitionFlag = 0x1; // VER_FLG_BASE: the entry naming the file itself (its soname), not a version.
        private const uint SectionTypeNoBits = 8; // SHT_NOBITS
        private const uint SectionTypeVersionDefinitions = 0x6ffffffd; // SHT_GNU_verdef
        private const uint SectionTypeVersionNeeds = 0x6ffffffe; // SHT_GNU_verneed

        public static IReadOnlyList<ElfVersionNeed> ReadVersionNeeds(string path) => ReadVersionNeeds(System.IO.File.ReadAllBytes(path), path);

        public static IReadOnlyList<ElfVersionNeed> ReadVersionNeeds(byte[] elf, string nameForErrors)
        {
            var reader = new Reader(elf, nameForErrors);
            var needs = new List<ElfVersionNeed>();
            foreach (Section section in reader.Sections())
            {
                if (section.Type != SectionTypeVersionNeeds) continue;
                Section strings = reader.SectionAt(section.Link);
                long entry = section.Offset;
                // sh_info holds the number of Elf64_Verneed entries; counting them also stops a corrupt vn_next from looping forever.
                for (uint i = 0; i < section.Info; i++)
                {
                    ushort auxCount = reader.U16(entry + 2);
                    string file = reader.String(strings, reader.U32(entry + 4));
                    long aux = entry + reader.U32(entry + 8);
                    for (int j = 0; j < auxCount; j++)
                    {
                        ushort flags = reader.U16(aux + 4);
                        string version = reader.String(strings, reader.U32(aux + 8));
                        needs.Add(new ElfVersionNeed(file, version, flags, aux + 4));
                        uint nextAux = reader.U32(aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }

                    uint next = reader.U32(entry + 12);
                    if (next == 0) break;
                    entry += next;
                }
            }

            return needs;
        }

        /// <summary>The version names a library defines, e.g. GLIBCXX_3.4 ... GLIBCXX_3.4.30 for Debian 12's libstdc++.</summary>
        public static IReadOnlyList<string> ReadVersionDefinitions(string path) => ReadVersionDefinitions(System.IO.File.ReadAllBytes(path), path);

        public static IReadOnlyList<string> ReadVersionDefinitions(byte[] elf, string nameForErrors)
        {
            var reader = new Reader(elf, nameForErrors);
            var definitions = new List<string>();
            foreach (Section section in reader.Sections())
            {
                if (section.Type != SectionTypeVersionDefinitions) continue;
                Section strings = reader.SectionAt(section.Link);
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    ushort flags = reader.U16(entry + 2);
                    // The first Elf64_Verdaux names the version; later ones name its predecessors, which are listed on their own too.
                    long aux = entry + reader.U32(entry + 12);
                    if ((flags & BaseDefinitionFlag) == 0) definitions.Add(reader.String(strings, reader.U32(aux)));
                    uint next = reader.U32(entry + 16);
                    if (next == 0) break;
                    entry += next;
                }
            }

            return definitions;
        }

        private struct Section
        {
            public uint Type;
            public long Offset;
            public long Size;
            public uint Link;
            public uint Info;
        }

        private sealed class Reader
        {
            private readonly byte[] bytes;
            private readonly string name;
            private readonly long sectionHeadersOffset;
            private readonly int sectionHeaderSize;
            private readonly uint sectionCount;

            public Reader(byte[] bytes, string name)
            {
                this.bytes = bytes;
                this.name = name;
                if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
                    throw Malformed("not an ELF file");
                if (bytes[4] != 2 || bytes[5] != 1) throw Malformed("not a 64-bit little-endian ELF file");
                sectionHeadersOffset = (long)U64(0x28);
                sectionHeaderSize = U16(0x3A);
                sectionCount = U16(0x3C);
                if (sectionHeadersOffset == 0) throw Malformed("it has no section headers");
                if (sectionHeaderSize < 64) throw Malformed("its section header size is " + sectionHeaderSize);
                // With 0xff00 or more sections, e_shnum is 0 and the real count is in the first section header's sh_size.
                if (sectionCount == 0) sectionCount = (uint)U64(sectionHeadersOffset + 0x20);
            }

            public IEnumerable<Section> Sections()
            {
                for (uint i = 0; i < sectionCount; i++) yield return SectionAt(i);
            }

            public Section SectionAt(uint index)
            {
                if (index >= sectionCount) throw Malformed("section index " + index + " is out of range");
                long header = sectionHeadersOffset + (long)index * sectionHeaderSize;
                var section = new Section
                {
                    Type = U32(header + 0x04),
                    Offset = (long)U64(header + 0x18),
                    Size = (long)U64(header + 0x20),
                    Link = U32(header + 0x28),
                    Info = U32(header + 0x2C),
                };
                // SHT_NOBITS sections (.bss) take no room in the file, so only sections with contents must lie within it.
                if (section.Type != SectionTypeNoBits &&
                    (section.Offset < 0 || section.Size < 0 || section.Offset + section.Size > bytes.Length))
                    throw Malformed("section " + index + " lies outside the file");
                return section;
            }

            public string String(Section table, uint offset)
            {
                if (offset >= table.Size) throw Malformed("string offset " + offset + " is outside its string table");
                long start = table.Offset + offset;
                long end = start;
                long limit = table.Offset + table.Size;
                while (end < limit && bytes[end] != 0) end++;
                if (end == limit) throw Malformed("unterminated string at offset " + start);
                return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
            }

            public ushort U16(long offset)
            {
                Check(offset, 2);
                return (ushort)(bytes[offset] | bytes[offset + 1] << 8);
            }

            public uint U32(long offset)
            {
                Check(offset, 4);
                return (uint)(bytes[offset] | bytes[offset + 1] << 8 | bytes[offset + 2] << 16 | bytes[offset + 3] << 24);
            }

            private ulong U64(long offset) => U32(offset) | (ulong)U32(offset + 4) << 32;

            private void Check(long offset, int length)
            {
                if (offset < 0 || offset + length > bytes.Length) throw Malformed("read past the end at offset " + offset);
            }

            private InvalidDataException Malformed(string why) => new InvalidDataException(name + " cannot be read as an ELF library: " + why + ".");
        }
    }

    /// <summary>What <see cref="ElfVersionNeedPatcher.WriteCopyWithWeakVersionNeed"/> did.</summary>
    internal enum WeakVersionNeedCopyResult
    {
        /// <summary>The source does not need that version of that library: nothing was written.</summary>
        SourceHasNoSuchNeed,

        /// <summary>The destination already held exactly the patched bytes: it was left untouched (timestamp included).</summary>
        DestinationAlreadyUpToDate,

        /// <summary>The destination was (re)written.</summary>
        Written,
    }

    /// <summary>Writes a copy of an ELF library in which one version need is marked weak. Never modifies the source.</summary>
    internal static class ElfVersionNeedPatcher
    {
        public static WeakVersionNeedCopyResult WriteCopyWithWeakVersionNeed(string sourcePath, string destinationPath, string neededFile, string version)
        {
            byte[] patched = System.IO.File.ReadAllBytes(sourcePath);
            ElfVersionNeed? need = null;
            foreach (ElfVersionNeed candidate in ElfSymbolVersions.ReadVersionNeeds(patched, sourcePath))
            {
                if (candidate.File == neededFile && candidate.Version == version) need = candidate;
            }

            if (need == null) return WeakVersionNeedCopyResult.SourceHasNoSuchNeed;

            ushort flags = (ushort)(need.Flags | ElfSymbolVersions.WeakFlag);
            patched[need.FlagsOffset] = (byte)flags;
            patched[need.FlagsOffset + 1] = (byte)(flags >> 8);

            if (System.IO.File.Exists(destinationPath) && HasSameBytes(destinationPath, patched))
                return WeakVersionNeedCopyResult.DestinationAlreadyUpToDate;

            WriteNewFile(destinationPath, patched);
            return WeakVersionNeedCopyResult.Written;
        }

        /// <summary>
        /// Writes a brand-new file and renames it over the destination. Writing in place would go through to every other name of
        /// the same inode: an output copy may be a hard link into the NuGet cache, which must never change.
        /// </summary>
        public static void WriteNewFile(string destinationPath, byte[] contents)
        {
            string directory = Path.GetDirectoryName(Path.GetFullPath(destinationPath)) ?? ".";
            Directory.CreateDirectory(directory);
            string temporary = Path.Combine(directory, "." + Path.GetFileName(destinationPath) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                System.IO.File.WriteAllBytes(temporary, contents);
                // On Unix, File.Replace is rename(2): the destination name now points at the new inode, and any other link keeps the old one.
                if (System.IO.File.Exists(destinationPath)) System.IO.File.Replace(temporary, destinationPath, null);
                else System.IO.File.Move(temporary, destinationPath);
            }
            finally
            {
                if (System.IO.File.Exists(temporary)) System.IO.File.Delete(temporary);
            }
        }

        public static bool HasSameBytes(string path, byte[] expected)
        {
            var info = new FileInfo(path);
            if (info.Length != expected.Length) return false;
            byte[] actual = System.IO.File.ReadAllBytes(path);
            for (int i = 0; i < actual.Length; i++)
            {
                if (actual[i] != expected[i]) return false;
            }

            return true;
        }
    }

    /// <summary>Finds the libstdc++.so.6 that the dynamic linker uses in this process, by asking the dynamic linker itself.</summary>
    internal static class SystemLibStdCxx
    {
        public const string Soname = "libstdc++.so.6";

        private const int RtldLazy = 0x1;
        private const int RtldInfoLinkMap = 2; // RTLD_DI_LINKMAP

        /// <summary>
        /// The path of the libstdc++.so.6 that a library loaded into this process would bind to, or null where there is none (not
        /// Linux, not glibc, not installed). dlopen by soname returns the copy already loaded (the .NET runtime itself links
        /// libstdc++), else it searches exactly as it would for libLibTorchSharp.so's DT_NEEDED entry: LD_LIBRARY_PATH, the
        /// ld.so cache, the default directories. So no path is hard-coded and no search order is reimplemented here.
        /// </summary>
        public static string? Locate()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return null;
            try
            {
                return LocateWith(LibC.dlopen, LibC.dlinfo, LibC.dlclose);
            }
            catch (EntryPointNotFoundException)
            {
                // glibc before 2.34 keeps dlopen & co. in libdl.so.2 only.
                return LocateWith(LibDl.dlopen, LibDl.dlinfo, LibDl.dlclose);
            }
            catch (DllNotFoundException)
            {
                return null;
            }
        }

        private static string? LocateWith(Func<string, int, IntPtr> dlopen, Func<IntPtr, int, IntPtr[], int> dlinfo, Func<IntPtr, int> dlclose)
        {
            IntPtr handle = dlopen(Soname, RtldLazy);
            if (handle == IntPtr.Zero) return null;
            try
            {
                var linkMap = new IntPtr[1];
                if (dlinfo(handle, RtldInfoLinkMap, linkMap) != 0 || linkMap[0] == IntPtr.Zero) return null;
                // struct link_map { ElfW(Addr) l_addr; char *l_name; ... }: l_name is the path the library was loaded from.
                IntPtr name = Marshal.ReadIntPtr(linkMap[0], IntPtr.Size);
                string? path = name == IntPtr.Zero ? null : Marshal.PtrToStringAnsi(name);
                return string.IsNullOrEmpty(path) ? null : path;
            }
            finally
            {
                dlclose(handle);
            }
        }

        private static class LibC
        {
            [DllImport("libc.so.6", EntryPoint = "dlopen")]
            private static extern IntPtr DlOpen(string file, int mode);

            [DllImport("libc.so.6", EntryPoint = "dlinfo")]
            private static extern int DlInfo(IntPtr handle, int request, [Out] IntPtr[] info);

            [DllImport("libc.so.6", EntryPoint = "dlclose")]
            private static extern int DlClose(IntPtr handle);

            public static IntPtr dlopen(string file, int mode) => DlOpen(file, mode);
            public static int dlinfo(IntPtr handle, int request, IntPtr[] info) => DlInfo(handle, request, info);
            public static int dlclose(IntPtr handle) => DlClose(handle);
        }

        private static class LibDl
        {
            [DllImport("libdl.so.2", EntryPoint = "dlopen")]
            private static extern IntPtr DlOpen(string file, int mode);

            [DllImport("libdl.so.2", EntryPoint = "dlinfo")]
            private static extern int DlInfo(IntPtr handle, int request, [Out] IntPtr[] info);

            [DllImport("libdl.so.2", EntryPoint = "dlclose")]
            private static extern int DlClose(IntPtr handle);

            public static IntPtr dlopen(string file, int mode) => DlOpen(file, mode);
            public static int dlinfo(IntPtr handle, int request, IntPtr[] info) => DlInfo(handle, request, info);
            public static int dlclose(IntPtr handle) => DlClose(handle);
        }
    }

    /// <summary>What a system needs for TorchSharp's native library to load.</summary>
    internal enum LibTorchSharpFix
    {
        /// <summary>This libLibTorchSharp.so does not need GLIBCXX_3.4.32 (another TorchSharp version): nothing to do.</summary>
        NotNeededByThisLibTorchSharp,

        /// <summary>The system libstdc++ defines GLIBCXX_3.4.32 (GCC 13 or later): nothing to do.</summary>
        SystemLibStdCxxProvidesIt,

        /// <summary>No libstdc++.so.6 could be found to inspect, so there is nothing a shim could be layered on: nothing to do.</summary>
        LibStdCxxNotFound,

        /// <summary>Mark the GLIBCXX_3.4.32 need weak in a copy of libLibTorchSharp.so and preload the shim that defines the symbol.</summary>
        MarkNeedWeakAndLoadShim,
    }

    /// <summary>The decision behind the fix, shared by the build (patch the copy or not) and the runtime (load the shim or not).</summary>
    internal sealed class LibTorchSharpAssessment
    {
        public const string LibraryFileName = "libLibTorchSharp.so";
        public const string ShimFileName = "libios_base_library_init_shim.so";

        /// <summary>The one version of the system libstdc++ that TorchSharp 0.107 needs and Debian 12 lacks (GCC 13's std::ios_base_library_init).</summary>
        public const string MissingVersion = "GLIBCXX_3.4.32";

        private LibTorchSharpAssessment(LibTorchSharpFix fix, string? libStdCxxPath, string libStdCxxNewestGlibcxx, string explanation)
        {
            Fix = fix;
            LibStdCxxPath = libStdCxxPath;
            LibStdCxxNewestGlibcxx = libStdCxxNewestGlibcxx;
            Explanation = explanation;
        }

        public LibTorchSharpFix Fix { get; }

        public string? LibStdCxxPath { get; }

        /// <summary>The newest GLIBCXX_ version the inspected libstdc++ defines ("" if none was inspected), for messages.</summary>
        public string LibStdCxxNewestGlibcxx { get; }

        public string Explanation { get; }

        /// <summary>Assesses with the libstdc++ that this process's dynamic linker uses.</summary>
        public static LibTorchSharpAssessment ForThisSystem(IReadOnlyList<ElfVersionNeed> libTorchSharpNeeds) =>
            Assess(libTorchSharpNeeds, SystemLibStdCxx.Locate());

        /// <summary>The pure decision, given libLibTorchSharp.so's version needs and the libstdc++ to check them against.</summary>
        public static LibTorchSharpAssessment Assess(IReadOnlyList<ElfVersionNeed> libTorchSharpNeeds, string? libStdCxxPath)
        {
            bool needsMissingVersion = false;
            foreach (ElfVersionNeed need in libTorchSharpNeeds)
            {
                if (need.File == SystemLibStdCxx.Soname && need.Version == MissingVersion) needsMissingVersion = true;
            }

            if (!needsMissingVersion)
                return new LibTorchSharpAssessment(LibTorchSharpFix.NotNeededByThisLibTorchSharp, libStdCxxPath, "",
                    LibraryFileName + " does not need " + MissingVersion + " from " + SystemLibStdCxx.Soname);

            if (libStdCxxPath == null || !System.IO.File.Exists(libStdCxxPath))
                return new LibTorchSharpAssessment(LibTorchSharpFix.LibStdCxxNotFound, libStdCxxPath, "",
                    "no " + SystemLibStdCxx.Soname + " was found to check for " + MissingVersion);

            IReadOnlyList<string> definitions = ElfSymbolVersions.ReadVersionDefinitions(libStdCxxPath);
            string newest = NewestGlibcxx(definitions);
            foreach (string definition in definitions)
            {
                if (definition == MissingVersion)
                    return new LibTorchSharpAssessment(LibTorchSharpFix.SystemLibStdCxxProvidesIt, libStdCxxPath, newest,
                        libStdCxxPath + " defines " + MissingVersion);
            }

            return new LibTorchSharpAssessment(LibTorchSharpFix.MarkNeedWeakAndLoadShim, libStdCxxPath, newest,
                libStdCxxPath + " stops at " + (newest.Length == 0 ? "no GLIBCXX version" : newest) + " and lacks " + MissingVersion);
        }

        /// <summary>Highest GLIBCXX_a.b.c by numeric comparison (GLIBCXX_3.4.30 is newer than GLIBCXX_3.4.9).</summary>
        public static string NewestGlibcxx(IEnumerable<string> versions)
        {
            const string prefix = "GLIBCXX_";
            string newest = "";
            int[] newestParts = new int[0];
            foreach (string version in versions)
            {
                if (!version.StartsWith(prefix, StringComparison.Ordinal)) continue;
                string[] text = version.Substring(prefix.Length).Split('.');
                var parts = new int[text.Length];
                bool numeric = true;
                for (int i = 0; i < text.Length && numeric; i++) numeric = int.TryParse(text[i], out parts[i]);
                if (!numeric || Compare(parts, newestParts) <= 0) continue;
                newest = version;
                newestParts = parts;
            }

            return newest;
        }

        private static int Compare(int[] a, int[] b)
        {
            for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
            {
                int x = i < a.Length ? a[i] : -1, y = i < b.Length ? b[i] : -1;
                if (x != y) return x.CompareTo(y);
            }

            return 0;
        }
    }

#if TORCHSHARP_NATIVE_MSBUILD_TASK
    /// <summary>
    /// MSBuild task (compiled and run by build/TorchSharpNative.targets). Decides for this build machine whether the copy of
    /// libLibTorchSharp.so that goes to the output needs its GLIBCXX_3.4.32 need marked weak and, if so, writes that copy to
    /// <see cref="PatchedLibrary"/> (under obj/). The NuGet cache file is only ever read.
    /// </summary>
    public sealed class PrepareLibTorchSharpForSystemLibStdCxx : Microsoft.Build.Utilities.Task
    {
        /// <summary>libLibTorchSharp.so as restored (normally inside ~/.nuget/packages): read only.</summary>
        [Microsoft.Build.Framework.Required]
        public string OriginalLibrary { get; set; } = "";

        /// <summary>Where to write the patched copy (under the project's obj/ directory).</summary>
        [Microsoft.Build.Framework.Required]
        public string PatchedLibrary { get; set; } = "";

        /// <summary>The file the build would otherwise copy over (bin/.../libLibTorchSharp.so), if it exists; see Execute.</summary>
        public string OutputLibrary { get; set; } = "";

        /// <summary>A libstdc++.so.6 to judge instead of the one the dynamic linker picks here (e.g. the target system's); normally empty.</summary>
        public string LibStdCxx { get; set; } = "";

        /// <summary>true when the output must get <see cref="PatchedLibrary"/> and the shim instead of the original.</summary>
        [Microsoft.Build.Framework.Output]
        public bool UsePatchedLibrary { get; set; }

        public override bool Execute()
        {
            try
            {
                IReadOnlyList<ElfVersionNeed> needs = ElfSymbolVersions.ReadVersionNeeds(OriginalLibrary);
                LibTorchSharpAssessment assessment = LibStdCxx.Length > 0
                    ? LibTorchSharpAssessment.Assess(needs, LibStdCxx)
                    : LibTorchSharpAssessment.ForThisSystem(needs);
                if (assessment.Fix != LibTorchSharpFix.MarkNeedWeakAndLoadShim)
                {
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                        "TorchSharp native fix not needed: " + assessment.Explanation + ".");
                    return true;
                }

                WeakVersionNeedCopyResult result = ElfVersionNeedPatcher.WriteCopyWithWeakVersionNeed(
                    OriginalLibrary, PatchedLibrary, SystemLibStdCxx.Soname, LibTorchSharpAssessment.MissingVersion);
                if (result == WeakVersionNeedCopyResult.SourceHasNoSuchNeed)
                    throw new InvalidOperationException(OriginalLibrary + " lost its " + LibTorchSharpAssessment.MissingVersion + " need while being read");

                // The Copy that follows overwrites the output file in place when it is out of date. If that file is a hard link (say,
                // into the NuGet cache, from a build with CreateHardLinksForCopyLocalIfPossible), writing through it would change the
                // cache, so a stale output file is unlinked first and Copy then creates a fresh one.
                if (OutputLibrary.Length > 0 && System.IO.File.Exists(OutputLibrary) &&
                    !ElfVersionNeedPatcher.HasSameBytes(OutputLibrary, System.IO.File.ReadAllBytes(PatchedLibrary)))
                {
                    System.IO.File.Delete(OutputLibrary);
                }

                UsePatchedLibrary = true;
                Log.LogMessage(result == WeakVersionNeedCopyResult.Written
                        ? Microsoft.Build.Framework.MessageImportance.High
                        : Microsoft.Build.Framework.MessageImportance.Low,
                    "TorchSharp native fix: " + assessment.Explanation + ", so the output gets " + PatchedLibrary + " (" +
                    LibTorchSharpAssessment.MissingVersion + " need marked weak" +
                    (result == WeakVersionNeedCopyResult.Written ? ", written now" : ", up to date") + ") and " +
                    LibTorchSharpAssessment.ShimFileName + ".");
                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException || e is InvalidOperationException)
            {
                Log.LogError("TorchSharp native fix failed for " + OriginalLibrary + ": " + e.Message);
                return false;
            }
        }
    }
#endif
}
