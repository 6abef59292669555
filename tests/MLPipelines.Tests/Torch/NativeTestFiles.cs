using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MLPipelines.Tests.Torch;

/// <summary>
/// Small real ELF libraries built with g++ for the native-fix tests, so the ELF code is checked against what the toolchain
/// actually writes rather than against hand-made bytes. Built once per test class, in a temporary directory.
/// </summary>
public sealed class NativeTestFiles : IDisposable
{
    public NativeTestFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "mlpipelines-native-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        CompilerAvailable = OperatingSystem.IsLinux() && Run("g++", "--version", out _) == 0;
    }

    public string Directory { get; }

    /// <summary>g++ is on every machine where the fix is needed (the build needs it there); elsewhere these tests skip.</summary>
    public bool CompilerAvailable { get; }

    private readonly Dictionary<string, string> built = [];

    /// <summary>A fake libstdc++.so.6 that defines exactly the given GLIBCXX versions (each with one dummy function).</summary>
    public string FakeLibStdCxx(params string[] versions)
    {
        string name = "fake-libstdcxx-" + string.Join("-", versions);
        return Build(name, () =>
        {
            string dir = Path.Combine(Directory, name);
            System.IO.Directory.CreateDirectory(dir);
            var script = new List<string>();
            var source = new List<string>();
            for (int i = 0; i < versions.Length; i++)
            {
                string predecessor = i == 0 ? "" : " " + versions[i - 1];
                script.Add($"{versions[i]} {{ global: fake_function_{i}; }}{predecessor};");
                source.Add($"extern \"C\" void fake_function_{i}() {{}}");
            }

            File.WriteAllLines(Path.Combine(dir, "versions.map"), script);
            File.WriteAllLines(Path.Combine(dir, "fake.cpp"), source);
            string output = Path.Combine(dir, "libstdc++.so.6");
            Compile($"-shared -fPIC -nostdlib -Wl,-soname,libstdc++.so.6 -Wl,--version-script=versions.map -o libstdc++.so.6 fake.cpp", dir);
            return output;
        });
    }

    /// <summary>
    /// libconsumer.so, which needs version PROVIDER_1.0 of libprovider.so.1 (and glibc versions, like any library), to patch.
    /// </summary>
    public string Consumer() => Build("consumer", () =>
    {
        string dir = Path.Combine(Directory, "consumer");
        System.IO.Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "provider.map"), "PROVIDER_1.0 { global: provider_function; local: *; };");
        File.WriteAllText(Path.Combine(dir, "provider.cpp"), "extern \"C\" int provider_function(int x) { return x + 1; }");
        File.WriteAllText(Path.Combine(dir, "consumer.cpp"),
            "#include <cstdio>\nextern \"C\" int provider_function(int);\n" +
            "extern \"C\" int consumer_function(int x) { std::printf(\"%d\\n\", x); return provider_function(x); }");
        Compile("-shared -fPIC -Wl,-soname,libprovider.so.1 -Wl,--version-script=provider.map -o libprovider.so.1 provider.cpp", dir);
        Compile("-shared -fPIC -o libconsumer.so consumer.cpp -L. -l:libprovider.so.1", dir);
        return Path.Combine(dir, "libconsumer.so");
    });

    public string NewTemporaryPath(string fileName)
    {
        string dir = Path.Combine(Directory, Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        return Path.Combine(dir, fileName);
    }

    /// <summary>The restored libLibTorchSharp.so in the NuGet cache (read only, never written by anything here), or null.</summary>
    public static string? RestoredLibTorchSharp()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        Version? version = typeof(TorchSharp.torch).Assembly.GetName().Version;
        if (version == null) return null;
        string path = Path.Combine(packages, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}",
            "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        return File.Exists(path) ? path : null;
    }

    public static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The canonical path (all symbolic links resolved), to compare two names of the same file.</summary>
    public static string RealPath(string path)
    {
        IntPtr resolved = realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) throw new IOException("realpath failed for " + path);
        try
        {
            return Marshal.PtrToStringAnsi(resolved)!;
        }
        finally
        {
            free(resolved);
        }
    }

    public static void HardLink(string existing, string newName)
    {
        if (link(existing, newName) != 0) throw new IOException($"link({existing}, {newName}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public static ulong Inode(string path)
    {
        // `stat -c %i` keeps this free of struct stat layouts.
        if (Run("stat", $"-c %i \"{path}\"", out string output) != 0) throw new IOException("stat failed for " + path);
        return ulong.Parse(output.Trim());
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is not worth failing a test run over.
        }
    }

    private string Build(string key, Func<string> build)
    {
        Assert.SkipUnless(CompilerAvailable, "g++ is not installed (it is only needed where the system libstdc++ lacks GLIBCXX_3.4.32)");
        lock (built)
        {
            if (!built.TryGetValue(key, out string? path)) built[key] = path = build();
            return path;
        }
    }

    private static void Compile(string arguments, string workingDirectory)
    {
        if (Run("g++", arguments, out string output, workingDirectory) != 0) throw new InvalidOperationException($"g++ {arguments} failed: {output}");
    }

    private static int Run(string program, string arguments, out string output, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        try
        {
            using Process process = Process.Start(start)!;
            Task<string> error = process.StandardError.ReadToEndAsync();
            output = process.StandardOutput.ReadToEnd() + error.Result;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output = e.Message;
            return -1;
        }
    }

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int link(string existing, string newName);

    [DllImport("libc.so.6")]
    private static extern IntPtr realpath(string path, IntPtr resolved);

    [DllImport("libc.so.6")]
    private static extern void free(IntPtr pointer);
}
