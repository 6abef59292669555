using MLPipelines.Onnx.Proto;
using static MLPipelines.Onnx.OnnxTensors;

namespace MLPipelines.Torch.Onnx.Export;

/// <summary>
/// Rewrites the nodes of an imported graph into the forms of the export opset (13 or later) and into eval semantics:
/// Dropout becomes Identity; Squeeze/Unsqueeze axes, Clip bounds and Reshape shapes move from attributes to inputs; legacy
/// attributes (BatchNormalization spatial/is_test, broadcast, consumed_inputs) are dropped; Softmax/LogSoftmax from before
/// opset 13 keep their 2-D semantics through Flatten → Softmax(axis 1) → Reshape to the input's shape.
/// </summary>
internal static class OpsetRewriter
{
    private static readonly string[] LegacyAttributes = ["spatial", "is_test", "consumed_inputs", "broadcast"];

    public static void Rewrite(ModelProto model, long sourceOpset)
    {
        var graph = model.Graph;
        var rewritten = new List<NodeProto>();
        foreach (var original in graph.Node)
        {
            var node = original.Clone();
            string name = node.Name.Length > 0 ? node.Name : node.Output[0];
            foreach (var attribute in node.Attribute.Where(a => LegacyAttributes.Contains(a.Name)).ToList())
                node.Attribute.Remove(attribute);
            switch (node.OpType)
            {
                case "Dropout":
                    rewritten.Add(Node("Identity", name, [node.Input[0]], [node.Output[0]]));
                    continue;
                case "Squeeze" or "Unsqueeze" when sourceOpset < 13 && Take(node, "axes") is { } axes:
                    graph.Initializer.Add(Int64($"{name}_axes", [axes.Ints.Count], [.. axes.Ints]));
                    node.Input.Add($"{name}_axes");
                    break;
                case "Clip" when sourceOpset < 11:
                    var min = Take(node, "min");
                    var max = Take(node, "max");
                    node.Input.Add(min is null ? "" : Scalar(graph, $"{name}_min", min.F));
                    node.Input.Add(max is null ? "" : Scalar(graph, $"{name}_max", max.F));
                    while (node.Input[^1].Length == 0) node.Input.RemoveAt(node.Input.Count - 1);
                    break;
                case "Reshape" when sourceOpset < 5 && Take(node, "shape") is { } shape:
                    graph.Initializer.Add(Int64($"{name}_shape", [shape.Ints.Count], [.. shape.Ints]));
                    node.Input.Add($"{name}_shape");
                    break;
                case "Softmax" or "LogSoftmax" when sourceOpset < 13:
                    rewritten.AddRange(LegacySoftmax(node, name));
                    continue;
            }
            rewritten.Add(node);
        }
        graph.Node.Clear();
        graph.Node.AddRange(rewritten);
    }

    private static IEnumerable<NodeProto> LegacySoftmax(NodeProto node, string name)
    {
        long axis = Take(node, "axis")?.I ?? 1;
        string x = node.Input[0], y = node.Output[0];
        yield return Node("Shape", $"{name}_shape", [x], [$"{name}_input_shape"]);
        yield return Node("Flatten", $"{name}_flatten", [x], [$"{name}_matrix"], IntAttribute("axis", axis));
        yield return Node(node.OpType, name, [$"{name}_matrix"], [$"{name}_normalized"], IntAttribute("axis", 1));
        yield return Node("Reshape", $"{name}_reshape", [$"{name}_normalized", $"{name}_input_shape"], [y]);
    }

    private static AttributeProto? Take(NodeProto node, string name)
    {
        var attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is not null) node.Attribute.Remove(attribute);
        return attribute;
    }

    private static string Scalar(GraphProto graph, string name, float value)
    {
        graph.Initializer.Add(Float(name, [], [value]));
        return name;
    }
}
