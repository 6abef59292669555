using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;
using MLPipelines.Torch.Onnx.Ops;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Onnx.Execution;

/// <summary>
/// Compiles an ONNX graph into a <see cref="CompiledGraph"/>: checks the opset, resolves every tensor name to a slot, builds
/// each node's kernel (which reads attributes and constant inputs once), evaluates Constant nodes, and records the last
/// reader of every intermediate tensor.
/// </summary>
internal static class GraphCompiler
{
    /// <summary>
    /// Compiles <paramref name="model"/>. <paramref name="initializers"/> holds the tensor of every initializer (parameters,
    /// buffers and constants, owned by the caller); <paramref name="constants"/> says which of them never change, so ops may
    /// read their values at compile time. <paramref name="inputs"/> are the graph inputs fed at run time, in order.
    /// </summary>
    public static CompiledGraph Compile(ModelProto model, IReadOnlyDictionary<string, Tensor> initializers, ISet<string> constants,
        IReadOnlyList<string> inputs, OnnxModuleOptions options)
    {
        long opset = CheckOpset(model);
        var graph = model.Graph;
        var slots = new Dictionary<string, int>();
        int Slot(string name) => slots.TryGetValue(name, out int s) ? s : slots[name] = slots.Count;

        var preloaded = new List<(int, Tensor)>();
        var known = new Dictionary<string, Tensor>(); // compile-time constant values
        var owned = new List<Tensor>();
        foreach (var (name, tensor) in initializers)
        {
            preloaded.Add((Slot(name), tensor));
            if (constants.Contains(name)) known[name] = tensor;
        }
        int[] inputSlots = inputs.Select(Slot).ToArray();
        var defined = new HashSet<string>(initializers.Keys.Concat(inputs));
        var lastReader = new Dictionary<int, int>();
        var steps = new List<(OnnxKernel Kernel, int[] Inputs, int[] Outputs, string Description)>();
        var initializerShapes = initializers.ToDictionary(p => p.Key, p => p.Value.shape);

        foreach (var node in graph.Node)
        {
            var compilation = new NodeCompilation(node, opset, n => known.GetValueOrDefault(n),
                n => initializerShapes.GetValueOrDefault(n), options);
            foreach (string input in node.Input.Where(i => i.Length > 0))
                if (!defined.Contains(input))
                    throw new OnnxFormatException($"{compilation.Describe}: input '{input}' is not produced by an earlier node, an initializer or a graph input (the graph must be topologically sorted)");
            if (node.OpType == "Constant" && node.Domain is "" or "ai.onnx")
            {
                var value = ConstantOp.Evaluate(compilation);
                owned.Add(value);
                known[node.Output[0]] = value;
                preloaded.Add((Slot(node.Output[0]), value));
                defined.Add(node.Output[0]);
                continue;
            }
            var kernel = OnnxOpRegistry.Create(compilation);
            int[] inputSlots2 = node.Input.Select(i => i.Length > 0 ? Slot(i) : -1).ToArray();
            int[] outputSlots = node.Output.Select(o => o.Length > 0 ? Slot(o) : -1).ToArray();
            foreach (int slot in inputSlots2.Where(s => s >= 0))
                lastReader[slot] = steps.Count;
            steps.Add((kernel, inputSlots2, outputSlots, compilation.Describe));
            defined.UnionWith(node.Output.Where(o => o.Length > 0));
        }

        // Only tensors that a step produced are released early: graph inputs, initializers and constants belong to others.
        var producedSlots = steps.SelectMany(s => s.Outputs).Where(s => s >= 0).ToHashSet();
        var graphOutputs = graph.Output.Select(o => o.Name).Where(slots.ContainsKey).Select(n => slots[n]).ToHashSet();
        var release = steps.Select(_ => new List<int>()).ToArray();
        foreach (var (slot, step) in lastReader)
            if (producedSlots.Contains(slot) && !graphOutputs.Contains(slot))
                release[step].Add(slot);
        var compiled = steps.Select((s, i) => new CompiledGraph.Step(s.Kernel, s.Inputs, s.Outputs, [.. release[i]], s.Description)).ToArray();
        return new CompiledGraph(compiled, [.. preloaded], inputSlots, slots, owned);
    }

    /// <summary>
    /// Checks the opset and that every node's op is implemented, before any tensor is converted, so that an unsupported
    /// model fails on its first unsupported node (e.g. <c>node 'conv_7' (QLinearConv): op not supported ...</c>).
    /// </summary>
    public static void CheckSupported(ModelProto model)
    {
        long opset = CheckOpset(model);
        foreach (var node in model.Graph.Node)
            if (!OnnxOpRegistry.IsSupported(node.OpType) || node.Domain is not ("" or "ai.onnx"))
                OnnxOpRegistry.Create(new NodeCompilation(node, opset, _ => null, _ => null, new OnnxModuleOptions()));
    }

    /// <summary>The default-domain opset, after checking that the executor implements it.</summary>
    public static long CheckOpset(ModelProto model)
    {
        long opset = OnnxModelFile.DefaultOpset(model);
        if (opset == 0) opset = 1; // no import: the ONNX default is opset 1
        if (opset < OnnxOpRegistry.MinimumOpset || opset > OnnxOpRegistry.MaximumOpset)
            throw new OnnxNotSupportedException($"the model imports ONNX opset {opset}; the TorchSharp executor supports opsets {OnnxOpRegistry.MinimumOpset} to {OnnxOpRegistry.MaximumOpset}");
        return opset;
    }
}
