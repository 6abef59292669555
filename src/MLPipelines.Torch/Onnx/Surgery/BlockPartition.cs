using MLPipelines.Onnx.Proto;

namespace MLPipelines.Torch.Onnx.Surgery;

/// <summary>
/// Splits a graph's nodes (in their topological order) into ordered blocks, the stages that
/// <see cref="OnnxModule.FreezeAllButLastBlocks"/> counts:
/// <list type="number">
/// <item>A <b>cut</b> is a point between two nodes where exactly one computed tensor is live (produced before and read after),
/// so everything after depends on the network only through that tensor.</item>
/// <item>A cut is a <b>block boundary</b> when its tensor is the output of a join (a node with two or more computed inputs:
/// the Add of a residual connection, the Concat of a fire module), or when a join reads it directly (the start of a residual
/// connection).</item>
/// <item>Blocks without parameters (such as the Relu after a residual Add) are merged into the block before them.</item>
/// <item>A graph with fewer than two blocks this way (a plain chain: LeNet, VGG-like ConvNets, MLPs) is split after each
/// layer instead: a block starts at every node with parameters.</item>
/// </list>
/// So MobileNetV2's blocks are its inverted residual blocks (a block without a residual merges with its neighbour), ResNet's
/// are its basic blocks, SqueezeNet's are its fire modules. A block is named after the tensor it ends with.
/// </summary>
internal static class BlockPartition
{
    /// <summary>A block: its name and the indices of its nodes in the graph's node list.</summary>
    internal sealed record Block(string Name, IReadOnlyList<int> Nodes);

    /// <summary>
    /// The blocks of the nodes of <paramref name="graph"/> that are not in <paramref name="excludedNodes"/> (the head).
    /// <paramref name="isParameter"/> says which initializers are trained; <paramref name="output"/> names the last block.
    /// </summary>
    public static IReadOnlyList<Block> Split(GraphProto graph, ISet<int> excludedNodes, Func<string, bool> isParameter, string output)
    {
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        var constants = graph.Node.Where(n => n.OpType == "Constant").SelectMany(n => n.Output).ToHashSet();
        bool Computed(string tensor) => tensor.Length > 0 && !initializers.Contains(tensor) && !constants.Contains(tensor);
        var nodes = Enumerable.Range(0, graph.Node.Count).Where(i => !excludedNodes.Contains(i) && graph.Node[i].OpType != "Constant").ToList();
        if (nodes.Count == 0) return [];

        var lastRead = new Dictionary<string, int>();
        for (int p = 0; p < nodes.Count; p++)
            foreach (string input in graph.Node[nodes[p]].Input.Where(Computed))
                lastRead[input] = p;
        bool IsJoin(NodeProto node) => node.Input.Where(Computed).Distinct().Count() >= 2;
        var readByJoin = nodes.Where(i => IsJoin(graph.Node[i])).SelectMany(i => graph.Node[i].Input).ToHashSet();

        // Walk the nodes, tracking the live computed tensors, and end a block at every boundary cut.
        var live = new HashSet<string>(graph.Input.Select(i => i.Name).Where(n => Computed(n) && lastRead.ContainsKey(n)));
        var blocks = new List<(List<int> Nodes, string End)>();
        var current = new List<int>();
        for (int p = 0; p < nodes.Count; p++)
        {
            var node = graph.Node[nodes[p]];
            current.Add(nodes[p]);
            foreach (string input in node.Input.Where(Computed))
                if (lastRead[input] == p) live.Remove(input);
            foreach (string o in node.Output.Where(o => o.Length > 0 && lastRead.TryGetValue(o, out int r) && r > p))
                live.Add(o);
            if (p == nodes.Count - 1 || live.Count != 1) continue;
            string tensor = live.First();
            if (node.Output.Contains(tensor) && (IsJoin(node) || readByJoin.Contains(tensor)))
            {
                blocks.Add((current, tensor));
                current = [];
            }
        }
        if (current.Count > 0) blocks.Add((current, output));

        bool HasParameters(IEnumerable<int> indices) => indices.Any(i => graph.Node[i].Input.Any(isParameter));
        var merged = new List<(List<int> Nodes, string End)>();
        foreach (var block in blocks)
        {
            if (merged.Count > 0 && !HasParameters(block.Nodes))
                merged[^1] = ([.. merged[^1].Nodes, .. block.Nodes], block.End);
            else if (merged.Count > 0 && !HasParameters(merged[^1].Nodes))
                merged[^1] = ([.. merged[^1].Nodes, .. block.Nodes], block.End);
            else
                merged.Add(block);
        }
        if (merged.Count < 2)
            merged = ByLayer(graph, nodes, isParameter, output);
        return merged.Select(b => new Block(b.End, b.Nodes)).ToList();
    }

    /// <summary>The fallback for chains: a new block at each node that has parameters.</summary>
    private static List<(List<int> Nodes, string End)> ByLayer(GraphProto graph, List<int> nodes, Func<string, bool> isParameter, string output)
    {
        var blocks = new List<(List<int> Nodes, string End)>();
        foreach (int i in nodes)
        {
            var node = graph.Node[i];
            if (blocks.Count == 0 || node.Input.Any(isParameter) && blocks[^1].Nodes.Any(j => graph.Node[j].Input.Any(isParameter)))
                blocks.Add(([], ""));
            blocks[^1].Nodes.Add(i);
        }
        return blocks.Select((b, k) => (b.Nodes, k == blocks.Count - 1 ? output : graph.Node[b.Nodes[^1]].Output[0])).ToList();
    }
}
