using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MLPipelines.Onnx;

namespace MLPipelines.Features;

/// <summary>
/// The bottleneck cache: feature vectors on disk, one file per (featurizer, image content, variant). Features are computed once
/// per featurizer key (weights SHA-256 + cut + preprocessing) and image SHA-256, and reused by every trainer and every re-run.
/// A changed image or model has a different key, so a stale entry is never read.
/// </summary>
public sealed class FeatureCache(string cacheRoot)
{
    /// <summary>The folder that holds the cache.</summary>
    public string Folder { get; } = Path.Combine(cacheRoot, "features");

    /// <summary>The content key of an image file (SHA-256 of its bytes).</summary>
    public static string ImageKey(string imagePath)
    {
        using var stream = File.OpenRead(imagePath);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Reads cached features; false when absent or damaged.</summary>
    public bool TryRead(FeaturizerModel featurizer, string imageKey, string variant, out float[] features)
    {
        string path = EntryPath(featurizer, imageKey, variant);
        features = [];
        if (!File.Exists(path)) return false;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return false;
        }
        if (bytes.Length != featurizer.FeatureSize * sizeof(float)) return false;
        features = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        return true;
    }

    /// <summary>Stores features atomically.</summary>
    public void Write(FeaturizerModel featurizer, string imageKey, string variant, float[] features) =>
        AtomicFile.WriteAllBytes(EntryPath(featurizer, imageKey, variant), MemoryMarshal.AsBytes(features.AsSpan()));

    private string EntryPath(FeaturizerModel featurizer, string imageKey, string variant) =>
        Path.Combine(Folder, $"{featurizer.Name}-{featurizer.Key[..16]}", imageKey[..2],
            string.IsNullOrEmpty(variant) ? $"{imageKey}.f32" : $"{imageKey}.{variant}.f32");
}
