using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using MLPipelines.Onnx.Proto;

namespace MLPipelines.Onnx;

/// <summary>
/// The shape of every tensor a graph computes, measured by running it: each node output becomes an extra graph output, and
/// ONNX Runtime runs the graph on a zero input. This works for imported models whatever their value_info says. When the
/// batch dimension is symbolic the graph runs twice, with batch b and b + 1, and every dimension that changes is shown as N.
/// If ONNX Runtime cannot run the graph, the shapes declared in the model (value_info and outputs) are used instead.
/// </summary>
internal static class ModelSummaryShapes
{
    /// <summary>Tensor name → shape text such as <c>[N, 64, 112, 112]</c>, and where the shapes came from.</summary>
    public static (IReadOnlyDictionary<string, string> Shapes, string Source) Infer(ModelProto model, string inputName,
        IReadOnlyList<long> inputShape, bool batchIsSymbolic)
    {
        try
        {
            return (Measure(model, inputName, inputShape, batchIsSymbolic), "ONNX Runtime");
        }
        catch (OnnxRuntimeException e)
        {
            return (Declared(model), $"declared in the model (ONNX Runtime could not run it: {e.Message.Split('\n')[0].Trim()})");
        }
    }

    private static Dictionary<string, string> Measure(ModelProto model, string inputName, IReadOnlyList<long> inputShape, bool batchIsSymbolic)
    {
        var probe = model.Clone();
        var outputs = probe.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var node in probe.Graph.Node)
            foreach (var output in node.Output.Where(o => o.Length > 0 && outputs.Add(o)))
                probe.Graph.Output.Add(new ValueInfoProto { Name = output });   // no type: ONNX Runtime infers it
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,   // keep every node, so every tensor exists
            IntraOpNumThreads = Math.Min(2, Environment.ProcessorCount),
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        using var session = new InferenceSession(probe.ToByteArray(), options);
        var first = Run(session, inputName, inputShape);
        var second = batchIsSymbolic ? Run(session, inputName, [inputShape[0] + 1, .. inputShape.Skip(1)]) : null;
        var shapes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, dims) in first)
        {
            if (dims is null) { shapes[name] = "?"; continue; }
            var other = second?[name];
            shapes[name] = Format(dims.Select((d, i) => other is not null && other.Length == dims.Length && other[i] != d ? "N" : d.ToString()));
        }
        return shapes;
    }

    private static Dictionary<string, long[]?> Run(InferenceSession session, string inputName, IReadOnlyList<long> shape)
    {
        var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
        using var input = OrtValue.CreateTensorValueFromMemory(data, shape.ToArray());
        using var runOptions = new RunOptions();
        var names = session.OutputNames.ToArray();
        using var results = session.Run(runOptions, [inputName], [input], names);
        var shapes = new Dictionary<string, long[]?>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
            shapes[names[i]] = results[i].IsTensor ? results[i].GetTensorTypeAndShape().Shape : null;
        return shapes;
    }

    private static Dictionary<string, string> Declared(ModelProto model)
    {
        var shapes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var info in model.Graph.Input.Concat(model.Graph.ValueInfo).Concat(model.Graph.Output))
        {
            var dims = info.Type?.TensorType?.Shape?.Dim;
            if (dims is null) continue;
            shapes[info.Name] = Format(dims.Select(d => d.HasDimValue ? d.DimValue.ToString() : string.IsNullOrEmpty(d.DimParam) ? "?" : d.DimParam));
        }
        return shapes;
    }

    public static string Format(IEnumerable<string> dims) => "[" + string.Join(", ", dims) + "]";
}
