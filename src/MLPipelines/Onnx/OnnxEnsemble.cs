using MLPipelines.Onnx.Proto;
using static MLPipelines.Onnx.OnnxTensors;

namespace MLPipelines.Onnx;

/// <summary>
/// Combines several image classifiers into one ONNX graph that averages their class probabilities, so an ensemble is a single
/// network that stock ML.NET scores like any other. Each member is a graph with one image input [N, 3, H, W] and one logits
/// output [N, C] over the same classes in the same order (the networks the fine-tune rows export).
/// </summary>
public static class OnnxEnsemble
{
    // log(0) would make the output −∞; probabilities below this are clamped first. softmax(log p) returns p to within it.
    private const float SmallestProbability = 1e-30f;

    /// <summary>
    /// The members side by side behind one input <paramref name="input"/>: each member's logits go through a softmax, the
    /// probabilities are averaged with equal weights, and the graph outputs their logarithm as <paramref name="logits"/>, so
    /// the usual softmax head gives back the averaged probabilities. The input takes the largest member input size; members
    /// trained at a smaller size see the images resized inside the graph (bilinear). Member tensors are renamed
    /// <c>m{i}_…</c>; the members are not changed.
    /// </summary>
    public static ModelProto AverageProbabilities(IReadOnlyList<ModelProto> members, string input, string logits)
    {
        if (members.Count < 2) throw new ArgumentException($"an ensemble needs at least two members, got {members.Count}");
        var shapes = members.Select((m, i) => MemberShape(m, i)).ToList();
        var opsets = members.Select(OnnxModelFile.DefaultOpset).Distinct().ToList();
        if (opsets.Count > 1)
            throw new OnnxFormatException($"ensemble members import different opsets ({string.Join(", ", opsets)}); export them with the same opset");
        long opset = opsets[0];
        if (opset < 13) throw new OnnxFormatException($"ensemble members import opset {opset}; 13 or later is needed");
        var classCounts = shapes.Select(s => s.Classes).Distinct().ToList();
        if (classCounts.Count > 1)
            throw new OnnxFormatException($"ensemble members output different numbers of classes ({string.Join(", ", classCounts)})");
        int classes = classCounts[0];
        int size = shapes.Max(s => s.Size);

        var graph = new GraphProto { Name = "ensemble" };
        graph.Input.Add(FloatValueInfo(input, "N", 3, size, size));
        var model = new ModelProto
        {
            IrVersion = members.Max(m => m.IrVersion),
            ProducerName = "MLPipelines",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        foreach (var import in members.SelectMany(m => m.OpsetImport).Where(o => o.Domain is not ("" or "ai.onnx")).DistinctBy(o => o.Domain))
            model.OpsetImport.Add(import.Clone());

        var probabilities = new List<string>();
        for (int i = 0; i < members.Count; i++)
        {
            string prefix = $"m{i}_";
            string memberInput = input;
            if (shapes[i].Size != size)
                memberInput = AddResize(graph, input, prefix, shapes[i].Size, opset);
            AddMember(graph, members[i], prefix, shapes[i].Input, memberInput);
            string memberProbabilities = prefix + "probabilities";
            graph.Node.Add(Node("Softmax", prefix + "softmax", [prefix + shapes[i].Output], [memberProbabilities], IntAttribute("axis", 1)));
            probabilities.Add(memberProbabilities);
        }
        graph.Initializer.Add(Float("ensemble_weight", [], [1f / members.Count]));
        graph.Initializer.Add(Float("ensemble_smallest_probability", [], [SmallestProbability]));
        graph.Node.Add(Node("Sum", "ensemble_sum", [.. probabilities], ["ensemble_probability_sum"]));
        graph.Node.Add(Node("Mul", "ensemble_mean", ["ensemble_probability_sum", "ensemble_weight"], ["ensemble_probabilities"]));
        graph.Node.Add(Node("Max", "ensemble_clamp", ["ensemble_probabilities", "ensemble_smallest_probability"], ["ensemble_clamped"]));
        graph.Node.Add(Node("Log", "ensemble_log", ["ensemble_clamped"], [logits]));
        graph.Output.Add(FloatValueInfo(logits, "N", classes));
        return model;
    }

    private sealed record Shape(string Input, string Output, int Size, int Classes);

    // The member's image input (square, fixed side) and logits output, or a one-line error saying which member is unusable.
    private static Shape MemberShape(ModelProto member, int index)
    {
        string origin = $"ensemble member {index + 1}";
        var inputs = OnnxGraphEditor.DataInputs(member);
        if (inputs.Count != 1 || member.Graph.Output.Count != 1)
            throw new OnnxFormatException($"{origin} must have one input and one output (it has {inputs.Count} and {member.Graph.Output.Count})");
        var dims = inputs[0].Type?.TensorType?.Shape?.Dim;
        if (dims is null || dims.Count != 4 || dims[1].DimValue != 3 || dims[2].DimValue <= 0 || dims[2].DimValue != dims[3].DimValue)
            throw new OnnxFormatException($"{origin}: input '{inputs[0].Name}' must be [N, 3, S, S] with a fixed side S");
        var outputDims = member.Graph.Output[0].Type?.TensorType?.Shape?.Dim;
        if (outputDims is null || outputDims.Count != 2 || outputDims[1].DimValue <= 0)
            throw new OnnxFormatException($"{origin}: output '{member.Graph.Output[0].Name}' must be [N, C] with a fixed class count C");
        if (member.Graph.Node.Any(n => n.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0)))
            throw new OnnxFormatException($"{origin} has control-flow subgraphs, which an ensemble cannot rename");
        return new Shape(inputs[0].Name, member.Graph.Output[0].Name, (int)dims[2].DimValue, (int)outputDims[1].DimValue);
    }

    // Copies the member's nodes, initializers and value infos under the prefix; its input reads the tensor the ensemble feeds it.
    private static void AddMember(GraphProto graph, ModelProto member, string prefix, string memberInput, string fedBy)
    {
        string Rename(string name) => name.Length == 0 ? name : name == memberInput ? fedBy : prefix + name;
        foreach (var node in member.Graph.Node)
        {
            var copy = node.Clone();
            copy.Name = prefix + (node.Name.Length > 0 ? node.Name : node.OpType);
            for (int k = 0; k < copy.Input.Count; k++) copy.Input[k] = Rename(copy.Input[k]);
            for (int k = 0; k < copy.Output.Count; k++) copy.Output[k] = Rename(copy.Output[k]);
            graph.Node.Add(copy);
        }
        foreach (var initializer in member.Graph.Initializer)
        {
            var copy = initializer.Clone();
            copy.Name = prefix + initializer.Name;
            graph.Initializer.Add(copy);
        }
        foreach (var info in member.Graph.ValueInfo.Where(v => v.Name != memberInput))
        {
            var copy = info.Clone();
            copy.Name = prefix + info.Name;
            graph.ValueInfo.Add(copy);
        }
    }

    // Resize [N, 3, S, S] to [N, 3, side, side]: the target shape is built from the input's batch and channel dimensions.
    private static string AddResize(GraphProto graph, string input, string prefix, int side, long opset)
    {
        string resized = prefix + "resized_input";
        graph.Initializer.Add(Int64(prefix + "resize_batch_starts", [1], 0));
        graph.Initializer.Add(Int64(prefix + "resize_batch_ends", [1], 2));
        graph.Initializer.Add(Int64(prefix + "resize_side", [2], side, side));
        graph.Initializer.Add(Float(prefix + "resize_empty", [0], []));
        graph.Node.Add(Node("Shape", prefix + "input_shape", [input], [prefix + "input_shape"]));
        graph.Node.Add(Node("Slice", prefix + "batch_and_channels", [prefix + "input_shape", prefix + "resize_batch_starts", prefix + "resize_batch_ends"],
            [prefix + "batch_and_channels"]));
        graph.Node.Add(Node("Concat", prefix + "resize_sizes", [prefix + "batch_and_channels", prefix + "resize_side"], [prefix + "resize_sizes"],
            IntAttribute("axis", 0)));
        var attributes = new List<AttributeProto> { StringAttribute("mode", "linear") };
        // Antialiasing (opset 18) makes a bilinear downscale average its footprint, as image libraries do.
        if (opset >= 18) attributes.Add(IntAttribute("antialias", 1));
        graph.Node.Add(Node("Resize", prefix + "resize", [input, prefix + "resize_empty", prefix + "resize_empty", prefix + "resize_sizes"], [resized],
            [.. attributes]));
        return resized;
    }
}
