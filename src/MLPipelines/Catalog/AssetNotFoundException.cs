namespace MLPipelines.Catalog;

/// <summary>A dataset or model file was found nowhere; the one-line message says where it looked and how to get it.</summary>
public sealed class AssetNotFoundException(string message) : Exception(message);

/// <summary>A file's SHA-256 differs from the catalog's; the one-line message names the file and both hashes.</summary>
public sealed class ChecksumMismatchException(string path, string expected, string actual)
    : Exception($"{path}: sha256 is {actual} but the catalog expects {expected}; the file is corrupt or a different version (delete it or point to a good copy)")
{
    public string Path { get; } = path;
    public string Expected { get; } = expected;
    public string Actual { get; } = actual;
}
