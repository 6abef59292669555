using MLPipelines.Onnx.Proto;

namespace MLPipelines.Torch.Onnx.Surgery;

/// <summary>Renames a tensor everywhere it appears in a graph (node inputs and outputs, graph inputs and outputs, value infos, initializers).</summary>
internal static class GraphRenaming
{
    public static void RenameTensor(ModelProto model, string from, string to)
    {
        var graph = model.Graph;
        foreach (var node in graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++)
                if (node.Input[i] == from) node.Input[i] = to;
            for (int i = 0; i < node.Output.Count; i++)
                if (node.Output[i] == from) node.Output[i] = to;
        }
        foreach (var info in graph.Input.Concat(graph.Output).Concat(graph.ValueInfo))
            if (info.Name == from) info.Name = to;
        foreach (var tensor in graph.Initializer)
            if (tensor.Name == from) tensor.Name = to;
    }
}
