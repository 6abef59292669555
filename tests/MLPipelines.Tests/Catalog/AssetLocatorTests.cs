using System.Net;
using System.Security.Cryptography;
using System.Text;
using MLPipelines.Catalog;

namespace MLPipelines.Tests.Catalog;

/// <summary>Resolution order, checksum verification, download and the not-found message of the asset locator.</summary>
public class AssetLocatorTests
{
    private sealed record FakeFile(string File, string Sha256, string? Url = null, string Source = "made in the test") : ICatalogFile;

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A fake checkout: root/repo/MLPipelines.sln, root/shared/models, root/work (working directory), root/explicit, root/env, root/cache.</summary>
    private sealed class Layout : IDisposable
    {
        private readonly TemporaryFolder _folder = new("assets");
        public Layout()
        {
            File.WriteAllText(_folder.File("repo", "MLPipelines.sln"), "");
            Directory.CreateDirectory(Path.Combine(_folder.Path, "work"));
        }

        public string Root => _folder.Path;
        public string Repo => Path.Combine(Root, "repo");
        public string Work => Path.Combine(Root, "work");
        public string Folder(string name) => Path.Combine(Root, name);

        public void Put(string folder, string file, string content) => File.WriteAllText(_folder.File(folder, file), content);

        public AssetLocator Locator(bool withExplicit = true, bool withEnvironment = true, bool download = false) => new(new AssetSearchOptions
        {
            ModelsRoot = withExplicit ? Folder("explicit") : null,
            CacheRoot = Folder("cache"),
            WorkingDirectory = Work,
            RepositoryRoot = Repo,
            AllowDownload = download,
            GetEnvironmentVariable = name => withEnvironment && name == AssetLocator.ModelsVariable ? Folder("env") : null,
        });

        public void Dispose() => _folder.Dispose();
    }

    [Fact]
    public void Search_order_is_explicit_option_environment_data_folder_shared_beside_the_repository_then_cache()
    {
        using var layout = new Layout();
        var locator = layout.Locator();
        Assert.Equal(
        [
            layout.Folder("explicit"),
            layout.Folder("env"),
            Path.Combine(layout.Work, "data", "models"),
            Path.Combine(layout.Root, "shared", "models"),
            Path.Combine(layout.Folder("cache"), "models"),
        ], locator.SearchPath(AssetKind.Models).Select(l => l.Folder));

        var file = new FakeFile("net.onnx", Sha("weights"));
        var places = new[] { "cache/models", "shared/models", "work/data/models", "env", "explicit" };
        foreach (var place in places)
        {
            layout.Put(place, "net.onnx", "weights");
            Assert.Equal(Path.Combine(layout.Root, place, "net.onnx"), locator.LocateFile(AssetKind.Models, file));
        }
    }

    [Fact]
    public void A_file_whose_checksum_differs_is_refused_with_both_hashes()
    {
        using var layout = new Layout();
        layout.Put("shared/models", "net.onnx", "tampered weights");
        var file = new FakeFile("net.onnx", Sha("weights"));

        var error = Assert.Throws<ChecksumMismatchException>(() => layout.Locator().LocateFile(AssetKind.Models, file));
        Assert.Contains(Path.Combine(layout.Root, "shared", "models", "net.onnx"), error.Message);
        Assert.Contains(Sha("weights"), error.Message);
        Assert.Contains(Sha("tampered weights"), error.Message);
    }

    [Fact]
    public void A_missing_file_names_every_place_searched_and_how_to_get_it_in_one_line()
    {
        using var layout = new Layout();
        var error = Assert.Throws<AssetNotFoundException>(() =>
            layout.Locator().LocateFile(AssetKind.Models, new FakeFile("net.onnx", Sha("weights")), "model 'net'"));
        foreach (var location in layout.Locator().SearchPath(AssetKind.Models))
            Assert.Contains(location.Folder, error.Message);
        Assert.Contains("model 'net'", error.Message);
        Assert.Contains("--models", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_missing_file_with_a_url_is_downloaded_into_the_cache_and_verified()
    {
        using var layout = new Layout();
        using var server = new OneFileServer("downloaded weights");
        var locator = layout.Locator(download: true);

        string path = locator.LocateFile(AssetKind.Models, new FakeFile("net.onnx", Sha("downloaded weights"), server.Url));
        Assert.Equal(Path.Combine(layout.Folder("cache"), "models", "net.onnx"), path);
        Assert.Equal("downloaded weights", File.ReadAllText(path));

        var wrong = new FakeFile("other.onnx", Sha("something else"), server.Url);
        Assert.Throws<ChecksumMismatchException>(() => locator.LocateFile(AssetKind.Models, wrong));
        Assert.False(File.Exists(Path.Combine(layout.Folder("cache"), "models", "other.onnx")), "a bad download must not stay in the cache");
    }

    [Fact]
    public void The_built_in_catalog_covers_every_shared_model_and_their_checksums_match()
    {
        var locator = new AssetLocator(TestCache.Assets);
        var catalogued = ModelCatalog.BuiltIn.Models.ToDictionary(m => m.File);
        foreach (var file in Directory.GetFiles(RepositoryPaths.SharedPath("models"), "*.onnx"))
        {
            Assert.True(catalogued.TryGetValue(Path.GetFileName(file), out var card), $"{Path.GetFileName(file)} is not in the catalog");
            Assert.Equal(Path.GetFullPath(file), locator.LocateModel(card));
        }
        string labels = locator.LocateFile(AssetKind.Models, ModelCatalog.BuiltIn.LabelFile("imagenet-synsets.txt"));
        Assert.Equal(1000, File.ReadAllLines(labels).Length);
    }

    [Fact]
    public void Unknown_model_names_list_the_catalog()
    {
        var error = Assert.Throws<CatalogException>(() => ModelCatalog.BuiltIn.Get("resnet-9000"));
        Assert.Contains("mobilenetv2-1.0-bn-features", error.Message);
    }

    /// <summary>Serves one body on a loopback port, as a download server would.</summary>
    private sealed class OneFileServer : IDisposable
    {
        private readonly HttpListener _listener = new();

        public OneFileServer(string body)
        {
            int port = FreePort();
            Url = $"http://127.0.0.1:{port}/net.onnx";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try { context = await _listener.GetContextAsync(); }
                    catch (Exception) { return; }
                    var bytes = Encoding.UTF8.GetBytes(body);
                    context.Response.ContentLength64 = bytes.Length;
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        private static int FreePort()
        {
            var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            int port = ((IPEndPoint)socket.LocalEndpoint).Port;
            socket.Stop();
            return port;
        }

        public void Dispose() => _listener.Close();
    }
}
