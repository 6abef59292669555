using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLPipelines.Catalog;
using MLPipelines.Imaging;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;
using TorchSharp;

namespace MLPipelines.Torch.Onnx.Parity;

/// <summary>
/// Checks that <see cref="OnnxModule"/> in eval mode computes what ONNX Runtime computes: both run the same images, and
/// every graph output is compared as max |difference| / max |value|. The contract is 1e-4 relative on real images.
/// </summary>
public static class OnnxRuntimeParity
{
    /// <summary>The tolerance the bridge promises on real images.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>
    /// Loads <paramref name="images"/> as the model expects them (<paramref name="preprocessing"/>: size and per-channel
    /// statistics; ImageNet's by default) and compares the two runtimes on every graph output.
    /// </summary>
    public static ParityReport Measure(ModelProto model, string name, IReadOnlyList<string> images, PreprocessingSpec? preprocessing = null)
    {
        if (images.Count == 0) throw new ArgumentException("parity needs at least one image");
        preprocessing ??= new PreprocessingSpec();
        int width = preprocessing.Width, height = preprocessing.Height, plane = width * height;
        var batch = new float[images.Count * 3 * plane];
        for (int i = 0; i < images.Count; i++)
        {
            var image = ImageTensor.Load(images[i], width, height, preprocessing.Resize);
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < plane; p++)
                    batch[(i * 3 + c) * plane + p] = (image.Data[c * plane + p] - preprocessing.Mean[c]) / preprocessing.Std[c];
        }
        return Measure(model, name, batch, [images.Count, 3, height, width]);
    }

    /// <summary>Compares the two runtimes on one input batch (NCHW float values, <paramref name="shape"/>).</summary>
    public static ParityReport Measure(ModelProto model, string name, float[] input, long[] shape)
    {
        TorchSharpRuntime.EnsureInitialized();
        var outputs = model.Graph.Output.Select(o => o.Name).ToList();
        var reference = RunOnnxRuntime(model, input, shape);
        using var module = OnnxModule.FromModel(model);
        module.eval();
        var results = new List<OutputParity>();
        using (torch.no_grad())
        using (var scope = torch.NewDisposeScope())
        {
            var x = torch.tensor(input, shape);
            foreach (string output in outputs)
            {
                float[] actual = module.Forward(x, output).contiguous().data<float>().ToArray();
                float[] expected = reference[output];
                if (actual.Length != expected.Length)
                    throw new InvalidOperationException($"{name}: output '{output}' has {actual.Length} values in TorchSharp but {expected.Length} in ONNX Runtime");
                double difference = 0, magnitude = 0;
                for (int i = 0; i < actual.Length; i++)
                {
                    difference = Math.Max(difference, Math.Abs((double)actual[i] - expected[i]));
                    magnitude = Math.Max(magnitude, Math.Abs((double)expected[i]));
                }
                results.Add(new OutputParity(output, difference, magnitude));
            }
        }
        var ops = model.Graph.Node.GroupBy(n => n.OpType).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        return new ParityReport(name, (int)shape[0], results, ops);
    }

    /// <summary>ONNX Runtime's value of every graph output for one input batch.</summary>
    public static Dictionary<string, float[]> RunOnnxRuntime(ModelProto model, float[] input, long[] shape)
    {
        var inputName = OnnxGraphEditor.DataInputs(model).Single().Name;
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        using var session = new InferenceSession(OnnxModelFile.ToBytes(model), options);
        var tensor = new DenseTensor<float>(input, shape.Select(d => (int)d).ToArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, tensor)]);
        return results.ToDictionary(r => r.Name, r => r.AsEnumerable<float>().ToArray());
    }
}
