using System.Security.Cryptography;
using System.Text.Json;

namespace MLPipelines.Catalog;

/// <summary>
/// SHA-256 of files, remembered in the user cache by (path, length, modification time) so that large files
/// (e.g. the 160 MB CIFAR-10 archive) are hashed once, not at every run. A changed file is hashed again.
/// </summary>
public sealed class FileChecksums(string cacheRoot)
{
    private readonly string _store = Path.Combine(cacheRoot, "checksums.json");
    private readonly object _lock = new();
    private Dictionary<string, Entry>? _entries;

    /// <summary>The lower-case hex SHA-256 of <paramref name="path"/>.</summary>
    public string Sha256(string path)
    {
        var info = new FileInfo(path);
        string key = info.FullName;
        lock (_lock)
        {
            _entries ??= LoadStore();
            if (_entries.TryGetValue(key, out var known) && known.Length == info.Length && known.ModifiedTicks == info.LastWriteTimeUtc.Ticks)
                return known.Sha256;
        }
        string hash = Compute(path);
        lock (_lock)
        {
            _entries![key] = new Entry(info.Length, info.LastWriteTimeUtc.Ticks, hash);
            SaveStore();
        }
        return hash;
    }

    /// <summary>Hashes a file without the cache.</summary>
    public static string Compute(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private Dictionary<string, Entry> LoadStore()
    {
        try
        {
            if (File.Exists(_store))
                return JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllText(_store)) ?? [];
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            // A damaged store only costs re-hashing.
        }
        return [];
    }

    private void SaveStore()
    {
        try
        {
            AtomicFile.WriteAllText(_store, JsonSerializer.Serialize(_entries));
        }
        catch (IOException)
        {
            // Another process may be writing the store at the same time; the hash is simply computed again next run.
        }
    }

    private sealed record Entry(long Length, long ModifiedTicks, string Sha256);
}
