using System.Security.Cryptography;
using System.Text;
using MLPipelines.Catalog;

namespace MLPipelines.Onnx;

/// <summary>
/// An ONNX featurizer graph on disk (input <c>Pixels</c>, output <c>Features</c>) and what identifies it. <see cref="Key"/>
/// changes whenever the weights, the cut point, the preprocessing or the flip averaging change, so it keys the feature cache.
/// </summary>
/// <param name="Name">Display name, e.g. <c>mobilenetv2-1.0-bn-features</c> or <c>pixels-32x32</c>.</param>
/// <param name="Path">The featurizer .onnx file.</param>
/// <param name="Key">Hex digest identifying the computation.</param>
/// <param name="FeatureSize">Length of the feature vector.</param>
/// <param name="Preprocessing">Resize, channel order and normalization the graph expects (normalization is inside it).</param>
/// <param name="AveragesOverFlip">True when features are averaged over the image and its mirror image (test-time augmentation).</param>
public sealed record FeaturizerModel(string Name, string Path, string Key, int FeatureSize, PreprocessingSpec Preprocessing, bool AveragesOverFlip)
{
    private const string FormatVersion = "featurizer-v1";

    /// <summary>
    /// The featurizer of catalog model <paramref name="card"/> whose file is <paramref name="backbonePath"/>; the graph is
    /// built once and kept under <paramref name="cacheRoot"/>/featurizers.
    /// </summary>
    public static FeaturizerModel ForBackbone(ModelCard card, string backbonePath, string cacheRoot, bool averageOverFlip = false,
        PreprocessingSpec? preprocessing = null)
    {
        preprocessing ??= card.Preprocessing;
        var featureOutput = card.FeatureOutput;
        string weightsHash = string.IsNullOrEmpty(card.Sha256) ? FileChecksums.Compute(backbonePath) : card.Sha256;
        string key = Digest(FormatVersion, weightsHash, featureOutput.Name, preprocessing.Fingerprint, averageOverFlip ? "flip" : "");
        string path = System.IO.Path.Combine(cacheRoot, "featurizers", $"{card.Name}-{key[..16]}.onnx");
        if (!File.Exists(path))
        {
            var backbone = OnnxModelFile.Load(backbonePath);
            var graph = FeaturizerGraph.FromBackbone(backbone, card.Input.Name, featureOutput.Name, preprocessing, averageOverFlip,
                featureOutput.ValuesPerExample);
            OnnxModelFile.Save(graph, path);
        }
        return new FeaturizerModel(card.Name, path, key, featureOutput.ValuesPerExample, preprocessing, averageOverFlip);
    }

    /// <summary>The normalized-pixels featurizer (no weights) for the from-scratch pixel baseline.</summary>
    public static FeaturizerModel ForNormalizedPixels(PreprocessingSpec preprocessing, string cacheRoot)
    {
        string key = Digest(FormatVersion, "normalized-pixels", preprocessing.Fingerprint);
        string name = $"pixels-{preprocessing.Width}x{preprocessing.Height}";
        string path = System.IO.Path.Combine(cacheRoot, "featurizers", $"{name}-{key[..16]}.onnx");
        if (!File.Exists(path))
            OnnxModelFile.Save(FeaturizerGraph.NormalizedPixels(preprocessing), path);
        return new FeaturizerModel(name, path, key, 3 * preprocessing.Width * preprocessing.Height, preprocessing, false);
    }

    private static string Digest(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", parts))));
}
