using MLPipelines.Onnx.Proto;
using static MLPipelines.Onnx.OnnxTensors;

namespace MLPipelines.Onnx;

/// <summary>
/// Small, well-defined edits of ONNX graphs: keep only some outputs (cutting the graph), rename, prepend per-channel
/// normalization, append softmax, average over a horizontal flip. Every edit returns a new model and leaves the input untouched.
/// </summary>
public static class OnnxGraphEditor
{
    /// <summary>Names of the graph's real inputs (inputs that are not initializers).</summary>
    public static IReadOnlyList<ValueInfoProto> DataInputs(ModelProto model)
    {
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet();
        return model.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
    }

    /// <summary>Every tensor name produced by a node or fed as an input.</summary>
    public static HashSet<string> TensorNames(ModelProto model)
    {
        var names = model.Graph.Input.Select(i => i.Name).ToHashSet();
        foreach (var node in model.Graph.Node)
            names.UnionWith(node.Output.Where(o => o.Length > 0));
        return names;
    }

    /// <summary>
    /// Makes the graph output exactly <paramref name="outputs"/> (existing tensor → exposed name), cutting away every node
    /// that does not contribute. A tensor inside the graph can be exposed (e.g. cut a classifier at its pooled features).
    /// </summary>
    public static ModelProto SelectOutputs(ModelProto model, IReadOnlyList<(string Tensor, string ExposedName)> outputs)
    {
        var result = model.Clone();
        var graph = result.Graph;
        var known = TensorNames(result);
        var newOutputs = new List<ValueInfoProto>();
        foreach (var (tensor, exposed) in outputs)
        {
            if (!known.Contains(tensor))
                throw new OnnxFormatException($"the model has no tensor named '{tensor}' (graph outputs: {string.Join(", ", model.Graph.Output.Select(o => o.Name))})");
            var info = model.Graph.Output.FirstOrDefault(o => o.Name == tensor)
                ?? model.Graph.ValueInfo.FirstOrDefault(v => v.Name == tensor);
            var exposedInfo = info?.Clone() ?? FloatValueInfoUnknownShape(exposed);
            exposedInfo.Name = exposed;
            if (exposed != tensor)
            {
                if (known.Contains(exposed))
                    throw new OnnxFormatException($"cannot expose tensor '{tensor}' as '{exposed}': the model already has a tensor with that name");
                graph.Node.Add(Node("Identity", $"expose_{exposed}", [tensor], [exposed]));
            }
            newOutputs.Add(exposedInfo);
        }
        graph.Output.Clear();
        graph.Output.AddRange(newOutputs);
        Prune(result);
        return result;
    }

    /// <summary>
    /// Replaces the image input <paramref name="imageInput"/> by a new input <paramref name="newInputName"/> that takes pixels
    /// scaled to [0,1], followed by per-channel <c>Sub(mean)</c> and <c>Div(std)</c>. ML.NET then only has to extract pixels
    /// with a scale of 1/255, and the saved model.zip needs no custom transform.
    /// </summary>
    public static ModelProto PrependNormalization(ModelProto model, string imageInput, IReadOnlyList<float> mean, IReadOnlyList<float> std,
        string newInputName)
    {
        if (mean.Count != std.Count)
            throw new ArgumentException("mean and std need one value per channel");
        var result = model.Clone();
        var graph = result.Graph;
        var input = DataInputs(result).FirstOrDefault(i => i.Name == imageInput)
            ?? throw new OnnxFormatException($"the model has no input named '{imageInput}' (inputs: {string.Join(", ", DataInputs(model).Select(i => i.Name))})");
        if (TensorNames(result).Contains(newInputName))
            throw new OnnxFormatException($"cannot add input '{newInputName}': the model already has a tensor with that name");
        int channels = mean.Count;
        string meanName = $"{newInputName}_mean", stdName = $"{newInputName}_std", centred = $"{newInputName}_centred";
        graph.Initializer.Add(Float(meanName, [1, channels, 1, 1], mean.ToArray()));
        graph.Initializer.Add(Float(stdName, [1, channels, 1, 1], std.ToArray()));
        // The normalized tensor keeps the old input's name, so the rest of the graph is untouched.
        graph.Node.Insert(0, Node("Div", $"{newInputName}_divide_std", [centred, stdName], [imageInput]));
        graph.Node.Insert(0, Node("Sub", $"{newInputName}_subtract_mean", [newInputName, meanName], [centred]));
        var newInput = input.Clone();
        newInput.Name = newInputName;
        graph.Input.Insert(graph.Input.IndexOf(input), newInput);
        graph.Input.Remove(input);
        return result;
    }

    /// <summary>
    /// Makes graph input <paramref name="input"/> take images of <paramref name="fromWidth"/>×<paramref name="fromHeight"/> and
    /// crop their centre to the size the graph had (a <c>Slice</c> on the H and W axes), like torchvision's CenterCrop after
    /// Resize. Offsets are (from − to) / 2 rounded down on both axes.
    /// </summary>
    public static ModelProto PrependCenterCrop(ModelProto model, string input, int fromWidth, int fromHeight, int toWidth, int toHeight)
    {
        var result = model.Clone();
        var graph = result.Graph;
        var info = DataInputs(result).FirstOrDefault(i => i.Name == input)
            ?? throw new OnnxFormatException($"the model has no input named '{input}'");
        string cropped = $"{input}_cropped";
        foreach (var node in graph.Node)
            for (int i = 0; i < node.Input.Count; i++)
                if (node.Input[i] == input) node.Input[i] = cropped;
        int left = (fromWidth - toWidth) / 2, top = (fromHeight - toHeight) / 2;
        graph.Initializer.Add(Int64($"{input}_crop_starts", [2], top, left));
        graph.Initializer.Add(Int64($"{input}_crop_ends", [2], top + toHeight, left + toWidth));
        graph.Initializer.Add(Int64($"{input}_crop_axes", [2], 2, 3));
        graph.Node.Insert(0, Node("Slice", $"{input}_center_crop", [input, $"{input}_crop_starts", $"{input}_crop_ends", $"{input}_crop_axes"], [cropped]));
        var dims = info.Type.TensorType.Shape.Dim;
        dims[2] = new Onnx.Proto.TensorShapeProto.Types.Dimension { DimValue = fromHeight };
        dims[3] = new Onnx.Proto.TensorShapeProto.Types.Dimension { DimValue = fromWidth };
        return result;
    }

    /// <summary>
    /// Test-time augmentation in the graph: the images at <paramref name="imageTensor"/> and their horizontal mirror images go
    /// through the network as one batch of 2N, and the N pairs of <paramref name="output"/> vectors ([2N, C]) are averaged.
    /// <paramref name="imageTensor"/> is an NCHW tensor that feeds the network: a graph input, or a tensor computed inside the
    /// graph (e.g. the original input name after <see cref="PrependNormalization"/>). Averaging logits (rather than
    /// probabilities) keeps the output a logits vector that the usual softmax head turns into probabilities.
    /// </summary>
    public static ModelProto AverageOverHorizontalFlip(ModelProto model, string imageTensor, string output, int outputSize)
    {
        var result = model.Clone();
        var graph = result.Graph;
        long opset = OnnxModelFile.DefaultOpset(result);
        if (opset < 10)
            throw new OnnxFormatException($"flip averaging needs opset 10 or later (Slice with steps); the model imports opset {opset}");
        var exposed = graph.Output.FirstOrDefault(o => o.Name == output)
            ?? throw new OnnxFormatException($"the model has no output named '{output}'");
        bool isGraphInput = graph.Input.Any(i => i.Name == imageTensor);
        int producer = graph.Node.Select((n, i) => (n, i)).FirstOrDefault(p => p.n.Output.Contains(imageTensor), (null!, -1)).Item2;
        if (!isGraphInput && producer < 0)
            throw new OnnxFormatException($"the model has no tensor named '{imageTensor}' to average over flips");

        // Every consumer of the images reads the stacked batch instead; the output's producer writes the stacked outputs.
        string flipped = $"{imageTensor}_flipped", stackedImages = $"{imageTensor}_with_flips", stackedOutput = $"{output}_stacked";
        foreach (var node in graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++)
                if (node.Input[i] == imageTensor) node.Input[i] = stackedImages;
            for (int i = 0; i < node.Output.Count; i++)
                if (node.Output[i] == output) node.Output[i] = stackedOutput;
        }
        graph.Initializer.Add(Int64("tta_flip_starts", [1], -1));
        graph.Initializer.Add(Int64("tta_flip_ends", [1], long.MinValue));
        graph.Initializer.Add(Int64("tta_flip_axes", [1], 3));
        graph.Initializer.Add(Int64("tta_flip_steps", [1], -1));
        graph.Initializer.Add(Int64("tta_pair_shape", [3], 2, -1, outputSize));
        graph.Node.Insert(producer + 1, Node("Concat", "tta_stack", [imageTensor, flipped], [stackedImages], IntAttribute("axis", 0)));
        graph.Node.Insert(producer + 1, Node("Slice", "tta_flip", [imageTensor, "tta_flip_starts", "tta_flip_ends", "tta_flip_axes", "tta_flip_steps"], [flipped]));
        graph.Node.Add(Node("Reshape", "tta_pairs", [stackedOutput, "tta_pair_shape"], [$"{output}_pairs"]));
        if (opset >= 18)
        {
            graph.Initializer.Add(Int64("tta_mean_axes", [1], 0));
            graph.Node.Add(Node("ReduceMean", "tta_mean", [$"{output}_pairs", "tta_mean_axes"], [output], IntAttribute("keepdims", 0)));
        }
        else
        {
            graph.Node.Add(Node("ReduceMean", "tta_mean", [$"{output}_pairs"], [output], IntsAttribute("axes", 0), IntAttribute("keepdims", 0)));
        }
        exposed.Type = FloatValueInfo(output, "N", outputSize).Type;
        return result;
    }

    /// <summary>Adds <c>Softmax</c> over the class axis of output <paramref name="logits"/>, exposed as <paramref name="probabilities"/>.</summary>
    public static ModelProto AppendSoftmax(ModelProto model, string logits, string probabilities)
    {
        var result = model.Clone();
        var output = result.Graph.Output.FirstOrDefault(o => o.Name == logits)
            ?? throw new OnnxFormatException($"the model has no output named '{logits}'");
        result.Graph.Node.Add(Node("Softmax", $"{probabilities}_softmax", [logits], [probabilities], IntAttribute("axis", 1)));
        var info = output.Clone();
        info.Name = probabilities;
        result.Graph.Output.Remove(output);
        result.Graph.Output.Add(info);
        return result;
    }

    /// <summary>Makes the first dimension of every graph input and output symbolic ("N"), so any batch size runs.</summary>
    public static ModelProto WithDynamicBatch(ModelProto model)
    {
        var result = model.Clone();
        foreach (var info in DataInputs(result).Concat(result.Graph.Output))
        {
            var dims = info.Type?.TensorType?.Shape?.Dim;
            if (dims is { Count: > 0 })
                dims[0] = new TensorShapeProto.Types.Dimension { DimParam = "N" };
        }
        return result;
    }

    /// <summary>Sets the shape of graph output <paramref name="output"/> to [N, <paramref name="size"/>].</summary>
    public static void SetVectorOutputShape(ModelProto model, string output, int size)
    {
        var info = model.Graph.Output.First(o => o.Name == output);
        info.Type = FloatValueInfo(output, "N", size).Type;
    }

    /// <summary>Removes nodes, initializers and value infos that no graph output depends on.</summary>
    public static void Prune(ModelProto model)
    {
        var graph = model.Graph;
        var needed = graph.Output.Select(o => o.Name).ToHashSet();
        var kept = new List<NodeProto>();
        for (int i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(needed.Contains))
                continue;
            kept.Add(node);
            needed.UnionWith(node.Input.Where(n => n.Length > 0));
            // Subgraphs (If/Loop bodies) may read outer tensors implicitly.
            foreach (var attribute in node.Attribute.Where(a => a.G is not null))
                foreach (var inner in attribute.G.Node)
                    needed.UnionWith(inner.Input);
        }
        kept.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        var liveInitializers = graph.Initializer.Where(t => needed.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(liveInitializers);
        var liveInputs = graph.Input.Where(i => needed.Contains(i.Name)).ToList();
        graph.Input.Clear();
        graph.Input.AddRange(liveInputs);
        var produced = TensorNames(model);
        var liveValueInfo = graph.ValueInfo.Where(v => produced.Contains(v.Name)).ToList();
        graph.ValueInfo.Clear();
        graph.ValueInfo.AddRange(liveValueInfo);
    }
}
