using MLPipelines.Onnx.Proto;
using MLPipelines.Torch.Onnx.Ops;
using DataType = MLPipelines.Onnx.Proto.TensorProto.Types.DataType;

namespace MLPipelines.Torch.Onnx.Execution;

/// <summary>What an initializer becomes in the module.</summary>
internal enum InitializerRole
{
    /// <summary>A trained parameter (weights, biases, BN scale and shift, float operands of Add/Sub/Mul/Div and MatMul).</summary>
    Parameter,

    /// <summary>A running statistic (BN mean and variance): a buffer, updated in train mode, saved with state_dict.</summary>
    Buffer,

    /// <summary>Anything else (shapes, axes, clip bounds, ratios): a constant the ops may read when compiling.</summary>
    Constant,
}

/// <summary>Decides the <see cref="InitializerRole"/> of each initializer from the ops and input positions that read it.</summary>
internal static class InitializerRoles
{
    public static Dictionary<string, InitializerRole> Classify(GraphProto graph)
    {
        var roles = graph.Initializer.ToDictionary(t => t.Name, _ => InitializerRole.Constant);
        var isFloat = graph.Initializer.ToDictionary(t => t.Name, t => t.DataType == (int)DataType.Float);
        foreach (var node in graph.Node)
            for (int i = 0; i < node.Input.Count; i++)
            {
                string name = node.Input[i];
                if (!roles.TryGetValue(name, out var role) || !isFloat[name] || role == InitializerRole.Parameter) continue;
                if (OnnxOpRegistry.IsRunningStatistic(node.OpType, i)) roles[name] = InitializerRole.Buffer;
                else if (OnnxOpRegistry.IsTrainedInput(node.OpType, i)) roles[name] = InitializerRole.Parameter;
            }
        return roles;
    }
}
