using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;
using TorchSharp;
using static MLPipelines.Onnx.OnnxTensors;

namespace MLPipelines.Torch.Onnx.Surgery;

/// <summary>
/// Appends a classification head to a graph: Flatten (when the features have spatial dimensions), optional Dropout and a
/// Gemm (features → classes, weight [classes, features] with transB=1) whose output is the only graph output, named
/// <see cref="OutputName"/>. Initialized like torch.nn.Linear (weight and bias uniform in ±1/√fan_in, which is Kaiming
/// uniform with a=√5), from a seeded TorchSharp generator, so the same seed gives the same head.
/// </summary>
internal static class ClassificationHead
{
    public const string OutputName = "logits";

    /// <summary>The head's nodes and trained initializers, by name.</summary>
    internal sealed record Added(ModelProto Model, IReadOnlySet<string> Nodes, IReadOnlySet<string> Parameters);

    /// <summary>
    /// Adds the head on tensor <paramref name="features"/>, whose per-example shape (without the batch) is
    /// <paramref name="featureShape"/>. A tensor already named <see cref="OutputName"/> is renamed first.
    /// </summary>
    public static Added Append(ModelProto model, string features, long[] featureShape, int classCount, double dropout, int seed)
    {
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "a head needs at least one class");
        if (dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1)");
        var result = model.Clone();
        var graph = result.Graph;
        if (OnnxGraphEditor.TensorNames(result).Contains(OutputName) || graph.Initializer.Any(t => t.Name == OutputName))
        {
            string renamed = Unique(result, OutputName + "_backbone");
            GraphRenaming.RenameTensor(result, OutputName, renamed);
            if (features == OutputName) features = renamed;
        }
        string prefix = Unique(result, "head");
        long featureCount = featureShape.Aggregate(1L, (a, b) => a * b);
        var nodes = new List<NodeProto>();
        string x = features;
        if (featureShape.Length > 1)
        {
            nodes.Add(Node("Flatten", $"{prefix}_flatten", [x], [$"{prefix}_flat"], IntAttribute("axis", 1)));
            x = $"{prefix}_flat";
        }
        if (dropout > 0)
        {
            long opset = OnnxModelFile.DefaultOpset(result);
            if (opset >= 12)
            {
                graph.Initializer.Add(Float($"{prefix}.dropout_ratio", [], [(float)dropout]));
                nodes.Add(Node("Dropout", $"{prefix}_dropout", [x, $"{prefix}.dropout_ratio"], [$"{prefix}_dropped"]));
            }
            else
            {
                nodes.Add(Node("Dropout", $"{prefix}_dropout", [x], [$"{prefix}_dropped"],
                    new AttributeProto { Name = "ratio", Type = AttributeProto.Types.AttributeType.Float, F = (float)dropout }));
            }
            x = $"{prefix}_dropped";
        }
        string weight = $"{prefix}.weight", bias = $"{prefix}.bias";
        var (weights, biases) = LinearInit(classCount, featureCount, seed);
        graph.Initializer.Add(Float(weight, [classCount, featureCount], weights));
        graph.Initializer.Add(Float(bias, [classCount], biases));
        nodes.Add(Node("Gemm", $"{prefix}_linear", [x, weight, bias], [OutputName], IntAttribute("transB", 1)));
        graph.Node.AddRange(nodes);
        graph.Output.Clear();
        graph.Output.Add(FloatValueInfo(OutputName, "N", classCount));
        OnnxGraphEditor.Prune(result);
        return new Added(result, nodes.Select(n => n.Name).ToHashSet(), new HashSet<string> { weight, bias });
    }

    private static (float[] Weights, float[] Biases) LinearInit(int classes, long features, int seed)
    {
        TorchSharpRuntime.EnsureInitialized();
        using var generator = new torch.Generator((ulong)seed);
        double bound = 1.0 / Math.Sqrt(features);
        using var w = torch.rand([classes, features], generator: generator) * (2 * bound) - bound;
        using var b = torch.rand([classes], generator: generator) * (2 * bound) - bound;
        return (w.data<float>().ToArray(), b.data<float>().ToArray());
    }

    private static string Unique(ModelProto model, string name)
    {
        var taken = OnnxGraphEditor.TensorNames(model);
        taken.UnionWith(model.Graph.Initializer.Select(t => t.Name));
        taken.UnionWith(model.Graph.Node.Select(n => n.Name));
        string candidate = name;
        for (int i = 2; taken.Contains(candidate) || taken.Any(t => t.StartsWith(candidate + "_", StringComparison.Ordinal) || t.StartsWith(candidate + ".", StringComparison.Ordinal)); i++)
            candidate = $"{name}{i}";
        return candidate;
    }
}
