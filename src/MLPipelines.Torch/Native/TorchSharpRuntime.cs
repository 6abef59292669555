using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MLPipelines.Torch.Native;
using TorchSharp;

namespace MLPipelines.Torch;

/// <summary>
/// Loads TorchSharp's native libraries, first preloading the libstdc++ shim where the system libstdc++ is older than the one
/// TorchSharp was built against (see docs/torchsharp-native.md). Called automatically when this assembly loads.
/// </summary>
public static class TorchSharpRuntime
{
    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;

    private static readonly object Gate = new();
    private static bool initialized;
    private static string? failure;

    /// <summary>
    /// Makes sure TorchSharp's native libraries are loaded and usable. Idempotent and thread-safe; cheap after the first call.
    /// </summary>
    /// <exception cref="InvalidOperationException">The native libraries cannot be loaded; the message says what was tried.</exception>
    public static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (initialized) return;
            // A failed load is not retried: the answer would be the same, and each TorchSharp attempt that fails also copies
            // ~500 MB of libtorch into a cpu/ folder of the app directory (its fallback) before giving up.
            if (failure != null) throw new InvalidOperationException(failure);
            try
            {
                Initialize();
                initialized = true;
            }
            catch (InvalidOperationException e)
            {
                failure = e.Message;
                throw;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Anything else (say, no libc.so.6 on a musl system) still gets the one-line treatment, and the module
                // initializer, which only expects InvalidOperationException, never lets it escape.
                failure = "TorchSharp's native setup failed: " + e.GetType().Name + ": " + e.Message;
                throw new InvalidOperationException(failure, e);
            }
        }
    }

    /// <summary>Whether this process preloaded the shim (false where the system libstdc++ needs no help, or off Linux).</summary>
    public static bool ShimLoaded { get; private set; }

    private static void Initialize()
    {
        var tried = new List<string>();
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // Reads two ELF files (libLibTorchSharp.so and libstdc++, ~4.5 MB): a few milliseconds, also where nothing is needed.
                LibTorchSharpAssessment assessment = AssessThisSystem(tried);
                if (assessment.Fix == LibTorchSharpFix.MarkNeedWeakAndLoadShim) LoadShim(tried);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // Not knowing is no reason to stop: TorchSharp may load anyway, and if it does not, this goes into the message.
                tried.Add("could not check libstdc++ compatibility: " + e.Message);
            }
        }

        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // TorchSharp's own first line blames a missing package reference whatever went wrong; the dynamic linker knows why.
            string? library = OperatingSystem.IsLinux() ? FindInNativeSearchDirectories(LibTorchSharpAssessment.LibraryFileName) : null;
            if (library != null) tried.Add("dlopen says: " + Dl.WhyItCannotLoad(library));
            tried.Add("TorchSharp says: " + e.GetBaseException().Message.Split('\n', 2)[0].Trim().TrimEnd('.'));
            throw new InvalidOperationException("TorchSharp's native libraries failed to load; " + string.Join("; ", tried) + ".", e);
        }
    }

    private static LibTorchSharpAssessment AssessThisSystem(List<string> tried)
    {
        string? library = FindInNativeSearchDirectories(LibTorchSharpAssessment.LibraryFileName);
        if (library == null)
        {
            // Without the file there is no way to read its needs; assume the known ones so the shim still goes in where needed.
            tried.Add(LibTorchSharpAssessment.LibraryFileName + " not found in " + string.Join(", ", NativeSearchDirectories()));
            return LibTorchSharpAssessment.Assess(
                [new ElfVersionNeed(SystemLibStdCxx.Soname, LibTorchSharpAssessment.MissingVersion, 0, 0)], SystemLibStdCxx.Locate());
        }

        IReadOnlyList<ElfVersionNeed> needs = ElfSymbolVersions.ReadVersionNeeds(library);
        LibTorchSharpAssessment assessment = LibTorchSharpAssessment.ForThisSystem(needs);
        tried.Add(assessment.Explanation);
        if (assessment.Fix == LibTorchSharpFix.MarkNeedWeakAndLoadShim)
        {
            bool weak = needs.Any(n => n.File == SystemLibStdCxx.Soname && n.Version == LibTorchSharpAssessment.MissingVersion && n.IsWeak);
            tried.Add(library + (weak
                ? " has that need marked weak"
                : " still has that need strong (it was built where libstdc++ had it; rebuild here, with g++ installed)"));
        }

        return assessment;
    }

    private static void LoadShim(List<string> tried)
    {
        string? shim = FindInNativeSearchDirectories(LibTorchSharpAssessment.ShimFileName);
        if (shim == null)
        {
            tried.Add(LibTorchSharpAssessment.ShimFileName + " not found in " + string.Join(", ", NativeSearchDirectories()) +
                      " (the build makes it with g++)");
            return;
        }

        // RTLD_GLOBAL puts the shim's std::ios_base_library_init() in the global scope, where libLibTorchSharp.so's lookup
        // finds it. NativeLibrary.Load would use RTLD_LOCAL, which hides the symbol from every other library.
        if (Dl.Open(shim, RtldNow | RtldGlobal) == IntPtr.Zero)
        {
            tried.Add("dlopen(" + shim + ", RTLD_GLOBAL) failed: " + Dl.LastError());
            return;
        }

        ShimLoaded = true;
        tried.Add("loaded " + shim + " RTLD_GLOBAL");
    }

    /// <summary>The directories the runtime probes for native libraries (from the app's deps.json), then the app directory.</summary>
    internal static IReadOnlyList<string> NativeSearchDirectories()
    {
        var directories = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string probed)
            directories.AddRange(probed.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        directories.Add(AppContext.BaseDirectory);
        directories.Add(Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native"));
        return directories.Select(Path.GetFullPath).Distinct().ToList();
    }

    internal static string? FindInNativeSearchDirectories(string fileName) =>
        NativeSearchDirectories().Select(d => Path.Combine(d, fileName)).FirstOrDefault(File.Exists);

    private static class Dl
    {
        [DllImport("libc.so.6", EntryPoint = "dlopen")]
        private static extern IntPtr DlOpenLibC(string file, int mode);

        [DllImport("libc.so.6", EntryPoint = "dlerror")]
        private static extern IntPtr DlErrorLibC();

        [DllImport("libdl.so.2", EntryPoint = "dlopen")]
        private static extern IntPtr DlOpenLibDl(string file, int mode);

        [DllImport("libdl.so.2", EntryPoint = "dlerror")]
        private static extern IntPtr DlErrorLibDl();

        public static IntPtr Open(string file, int mode)
        {
            // Calling dlerror first binds its P/Invoke now: binding it after a failed dlopen runs dlsym, which clears the error.
            _ = LastError();
            try
            {
                return DlOpenLibC(file, mode);
            }
            catch (EntryPointNotFoundException)
            {
                return DlOpenLibDl(file, mode); // glibc before 2.34
            }
        }

        /// <summary>Loads the library once more (RTLD_LOCAL, so nothing leaks into the global scope) just to get dlerror's reason.</summary>
        public static string WhyItCannotLoad(string library)
        {
            const int rtldLocal = 0;
            return Open(library, RtldNow | rtldLocal) == IntPtr.Zero ? LastError() : "it loads (so the failure is elsewhere)";
        }

        public static string LastError()
        {
            IntPtr message;
            try
            {
                message = DlErrorLibC();
            }
            catch (EntryPointNotFoundException)
            {
                message = DlErrorLibDl();
            }

            return message == IntPtr.Zero ? "(no dlerror)" : Marshal.PtrToStringAnsi(message) ?? "(no dlerror)";
        }
    }
}

internal static class TorchSharpRuntimeModuleInitializer
{
    /// <summary>
    /// Any use of MLPipelines.Torch sets TorchSharp up first, so no caller has to remember to. A module initializer must not
    /// throw (the exception would surface as a TypeInitializationException on whatever type was touched first, hiding the
    /// message), so a failure is kept and rethrown, with its one-line explanation, by the next EnsureInitialized call.
    /// </summary>
#pragma warning disable CA2255 // ModuleInitializer in a library: intended, this is what sets the native libraries up for every caller.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void InitializeTorchSharp()
    {
        try
        {
            TorchSharpRuntime.EnsureInitialized();
        }
        catch (InvalidOperationException)
        {
            // Kept by TorchSharpRuntime; see above.
        }
    }
}
