using MLPipelines.Catalog;
using MLPipelines.Imaging;
using MLPipelines.Onnx.Proto;
using MLPipelines.Torch;
using TorchSharp;
using static MLPipelines.Onnx.OnnxTensors;

namespace MLPipelines.Tests.Torch.Onnx;

/// <summary>Real images as normalized NCHW batches, and tiny hand-made graphs, for the ONNX bridge tests.</summary>
internal static class OnnxBridgeData
{
    public static readonly string[] PacsClasses = ["dog", "elephant", "giraffe", "guitar", "horse", "house", "person"];

    /// <summary>The sample photos of shared/images, sorted.</summary>
    public static List<string> SampleImages() =>
        Directory.GetFiles(RepositoryPaths.SharedPath("images")).Order(StringComparer.Ordinal).ToList();

    /// <summary>The first <paramref name="perClass"/> images (sorted by name) of each PACS cartoon class in <paramref name="classes"/>, with labels.</summary>
    public static (List<string> Files, long[] Labels) PacsCartoon(IReadOnlyList<string> classes, int perClass)
    {
        var files = new List<string>();
        var labels = new List<long>();
        for (int c = 0; c < classes.Count; c++)
            foreach (string file in Directory.GetFiles(Path.Combine(RepositoryPaths.PacsCartoon, classes[c])).Order(StringComparer.Ordinal).Take(perClass))
            {
                files.Add(file);
                labels.Add(c);
            }
        return (files, labels.ToArray());
    }

    /// <summary>Pixels in [0,1] of each image at <paramref name="size"/>, planar RGB, concatenated ([N,3,size,size]).</summary>
    public static float[] Pixels(IReadOnlyList<string> files, int size) =>
        files.SelectMany(f => ImageTensor.Load(f, size, size).Data).ToArray();

    /// <summary>ImageNet-normalized pixels ((x − mean) / std per channel) as a float array of shape [N,3,size,size].</summary>
    public static float[] Normalized(IReadOnlyList<string> files, int size)
    {
        float[] pixels = Pixels(files, size);
        int plane = size * size;
        for (int i = 0; i < pixels.Length; i++)
        {
            int channel = i / plane % 3;
            pixels[i] = (pixels[i] - PreprocessingSpec.ImageNetMean[channel]) / PreprocessingSpec.ImageNetStd[channel];
        }
        return pixels;
    }

    public static torch.Tensor Batch(float[] values, int count, int size)
    {
        TorchSharpRuntime.EnsureInitialized();
        return torch.tensor(values, [count, 3, size, size]);
    }

    /// <summary>max |a − b| / max |b|.</summary>
    public static double Relative(float[] actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double difference = 0, magnitude = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            difference = Math.Max(difference, Math.Abs((double)actual[i] - expected[i]));
            magnitude = Math.Max(magnitude, Math.Abs((double)expected[i]));
        }
        return difference / magnitude;
    }

    /// <summary>A one-node opset-13 graph: input x [N, inFeatures] → Gemm with a weight of <paramref name="weightShape"/> (transB=1).</summary>
    public static ModelProto GemmGraph(long inFeatures, long[] weightShape)
    {
        var model = new ModelProto { IrVersion = 8 };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        model.Graph = new GraphProto { Name = "gemm" };
        model.Graph.Input.Add(FloatValueInfo("x", "N", inFeatures));
        model.Graph.Output.Add(FloatValueInfo("y", "N", weightShape[0]));
        model.Graph.Initializer.Add(Float("w", weightShape, new float[weightShape[0] * weightShape[1]]));
        model.Graph.Node.Add(Node("Gemm", "classifier", ["x", "w"], ["y"], IntAttribute("transB", 1)));
        return model;
    }
}
