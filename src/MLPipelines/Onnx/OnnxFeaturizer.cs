using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MLPipelines.Onnx;

/// <summary>
/// Runs a <see cref="FeaturizerGraph"/> model on batches of pixel tensors with ONNX Runtime. ML.NET's ApplyOnnxModel scores one
/// row at a time; batching here is 2–3× faster for building the feature cache, with the same graph and the same pixels.
/// </summary>
public sealed class OnnxFeaturizer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly int _channels, _height, _width;

    /// <summary>Loads <paramref name="modelPath"/>; <paramref name="threads"/> defaults to the number of processors.</summary>
    public OnnxFeaturizer(string modelPath, int? threads = null)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads ?? Environment.ProcessorCount,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(modelPath, options);
        var input = _session.InputMetadata[ColumnNames.Pixels];
        (_channels, _height, _width) = (input.Dimensions[1], input.Dimensions[2], input.Dimensions[3]);
        FeatureSize = _session.OutputMetadata[ColumnNames.Features].Dimensions[^1];
    }

    /// <summary>Length of each feature vector.</summary>
    public int FeatureSize { get; }

    /// <summary>Values per input image (3·H·W).</summary>
    public int InputSize => _channels * _height * _width;

    /// <summary>Features of a batch of planar [0,1] pixel arrays (each of length <see cref="InputSize"/>).</summary>
    public float[][] Run(IReadOnlyList<float[]> pixels)
    {
        if (pixels.Count == 0) return [];
        var batch = new DenseTensor<float>([pixels.Count, _channels, _height, _width]);
        var buffer = batch.Buffer.Span;
        for (int i = 0; i < pixels.Count; i++)
        {
            if (pixels[i].Length != InputSize)
                throw new ArgumentException($"image {i} of the batch has {pixels[i].Length} values, expected {InputSize}");
            pixels[i].CopyTo(buffer.Slice(i * InputSize, InputSize));
        }
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(ColumnNames.Pixels, batch)], [ColumnNames.Features]);
        var output = results[0].AsTensor<float>().ToArray();
        var features = new float[pixels.Count][];
        for (int i = 0; i < pixels.Count; i++)
            features[i] = output.AsSpan(i * FeatureSize, FeatureSize).ToArray();
        return features;
    }

    public void Dispose() => _session.Dispose();
}
