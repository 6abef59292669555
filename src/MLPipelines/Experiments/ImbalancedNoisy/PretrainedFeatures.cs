using System.Diagnostics;
using MLPipelines.Catalog;
using MLPipelines.Imaging;
using MLPipelines.Imaging.Augmentation;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;

namespace MLPipelines.Experiments.ImbalancedNoisy;

/// <summary>
/// Frozen features of in-memory images from a catalog backbone (e.g. the ImageNet MobileNetV2 <c>mobilenetv2-1.0-bn-features</c>)
/// at a chosen input side: each image is upsampled (bilinear) to <see cref="Side"/>×<see cref="Side"/> and run through the
/// backbone with ONNX Runtime. The backbone ends in a global average pool, so it runs at any side; the featurizer graph
/// (normalization inside, as for the PACS frozen-features path) is built once per side and kept in the cache.
/// </summary>
public sealed class PretrainedFeatures
{
    private readonly FeaturizerModel _featurizer;
    private readonly int _threads;

    private PretrainedFeatures(FeaturizerModel featurizer, int side, int threads)
    {
        _featurizer = featurizer;
        Side = side;
        _threads = threads;
    }

    /// <summary>Input side the images are upsampled to.</summary>
    public int Side { get; }

    /// <summary>Catalog name of the backbone.</summary>
    public string Backbone => _featurizer.Name;

    /// <summary>Length of each feature vector.</summary>
    public int FeatureSize => _featurizer.FeatureSize;

    /// <summary>
    /// The featurizer of catalog model <paramref name="backbone"/> at <paramref name="side"/>; the graph is written (atomically)
    /// to <paramref name="assets"/>' cache the first time. <paramref name="threads"/> bounds ONNX Runtime's threads. With
    /// <paramref name="averageOverFlip"/> each vector is the mean of the image's and its mirror image's features (twice the cost).
    /// </summary>
    public static PretrainedFeatures Create(string backbone, int side, AssetLocator assets, int threads, bool averageOverFlip = false)
    {
        if (side < 32) throw new ArgumentOutOfRangeException(nameof(side), side, "the input side must be at least 32");
        var card = ModelCatalog.BuiltIn.Get(backbone);
        string modelPath = assets.LocateModel(card);
        var preprocessing = new PreprocessingSpec
        {
            Size = [side, side],
            Resize = card.Preprocessing.Resize,
            ChannelOrder = card.Preprocessing.ChannelOrder,
            Mean = card.Preprocessing.Mean,
            Std = card.Preprocessing.Std,
        };
        var featurizer = FeaturizerModel.ForBackbone(card, modelPath, assets.CacheRoot, averageOverFlip, preprocessing);
        // The shared graph keeps the backbone's declared input side (224); ONNX Runtime checks it, so declare this side.
        string sized = Path.Combine(Path.GetDirectoryName(featurizer.Path)!, $"{Path.GetFileNameWithoutExtension(featurizer.Path)}-side{side}.onnx");
        if (!File.Exists(sized))
        {
            var model = OnnxModelFile.Load(featurizer.Path);
            var input = model.Graph.Input.FirstOrDefault(i => i.Name == ColumnNames.Pixels)
                ?? throw new OnnxFormatException($"{featurizer.Path}: no input named '{ColumnNames.Pixels}'");
            var dims = input.Type.TensorType.Shape.Dim;
            if (dims.Count != 4)
                throw new OnnxFormatException($"{featurizer.Path}: input '{ColumnNames.Pixels}' has {dims.Count} dimensions, expected 4 (N, C, H, W)");
            dims[2] = new TensorShapeProto.Types.Dimension { DimValue = side };
            dims[3] = new TensorShapeProto.Types.Dimension { DimValue = side };
            OnnxModelFile.Save(model, sized);
        }
        return new PretrainedFeatures(featurizer with { Path = sized }, side, threads);
    }

    /// <summary>One feature vector per image of <paramref name="images"/> (planar RGB in [0,1], any size), in order.</summary>
    public FeatureBatch Extract(IReadOnlyList<ImageTensor> images, IProgress<ProgressUpdate>? progress = null, int batchSize = 64)
    {
        var clock = Stopwatch.StartNew();
        var features = new float[images.Count][];
        using var runner = new OnnxFeaturizer(_featurizer.Path, _threads);
        var size = ImageSize.Square(Side);
        var order = _featurizer.Preprocessing.ChannelOrder;
        string task = $"{Backbone} features at {Side}×{Side}";
        for (int start = 0; start < images.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, images.Count - start);
            var pixels = new float[count][];
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = _threads }, j =>
            {
                var image = images[start + j];
                var resized = image.Width == Side && image.Height == Side ? image : AntialiasedResampler.Resize(image, size);
                pixels[j] = resized.ToModelInput(order);
            });
            var computed = runner.Run(pixels);
            for (int j = 0; j < count; j++) features[start + j] = computed[j];
            progress?.Report(new ProgressUpdate(task, start + count, images.Count));
        }
        return new FeatureBatch(features, clock.Elapsed);
    }
}

/// <summary>Feature vectors of a list of images, in order, and the time they took.</summary>
public sealed record FeatureBatch(float[][] Features, TimeSpan Time)
{
    /// <summary>Images per second.</summary>
    public double ImagesPerSecond => Features.Length / Math.Max(Time.TotalSeconds, 1e-9);
}
