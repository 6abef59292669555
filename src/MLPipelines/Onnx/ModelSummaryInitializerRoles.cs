using MLPipelines.Onnx.Proto;

namespace MLPipelines.Onnx;

/// <summary>
/// Decides what each initializer of a graph is, from the operator input it feeds: a trainable parameter, a BatchNormalization
/// running statistic, or a constant that configures the op. Float initializers are parameters unless the operand they feed
/// is known to configure rather than learn (listed here by operator and input index); integer initializers are constants.
/// </summary>
internal static class ModelSummaryInitializerRoles
{
    public enum Role { Parameter, Buffer, Constant }

    // Operator inputs that hold settings, not weights (ONNX operator schemas, opset 7–21).
    private static readonly Dictionary<string, int[]> ConstantInputs = new(StringComparer.Ordinal)
    {
        ["Clip"] = [1, 2],
        ["Dropout"] = [1, 2],
        ["Reshape"] = [1],
        ["Expand"] = [1],
        ["Tile"] = [1],
        ["Squeeze"] = [1],
        ["Unsqueeze"] = [1],
        ["Slice"] = [1, 2, 3, 4],
        ["Pad"] = [1, 2, 3],
        ["Resize"] = [1, 2, 3],
        ["Upsample"] = [1],
        ["Split"] = [1],
        ["ReduceMean"] = [1],
        ["ReduceSum"] = [1],
        ["ReduceMax"] = [1],
        ["ReduceMin"] = [1],
        ["ConstantOfShape"] = [0],
        ["TopK"] = [1],
        ["Gather"] = [1],
        ["Range"] = [0, 1, 2],
        ["OneHot"] = [1, 2],
        ["ConvInteger"] = [2, 3],
        ["MatMulInteger"] = [2, 3],
    };

    private static readonly HashSet<int> FloatTypes =
    [
        (int)TensorProto.Types.DataType.Float, (int)TensorProto.Types.DataType.Double,
        (int)TensorProto.Types.DataType.Float16, (int)TensorProto.Types.DataType.Bfloat16,
    ];

    /// <summary>The role of initializer <paramref name="tensor"/> when it feeds input <paramref name="inputIndex"/> of <paramref name="node"/>.</summary>
    public static Role Of(TensorProto tensor, NodeProto node, int inputIndex)
    {
        if (node.OpType == "BatchNormalization" && inputIndex is 3 or 4) return Role.Buffer;
        if (!FloatTypes.Contains(tensor.DataType)) return Role.Constant;
        if (ConstantInputs.TryGetValue(node.OpType, out var inputs) && inputs.Contains(inputIndex)) return Role.Constant;
        // Quantized ops (QuantizeLinear, QLinearConv, com.microsoft's QLinearGlobalAveragePool…) take float scales only.
        if (node.OpType.StartsWith("QLinear", StringComparison.Ordinal) || node.OpType.EndsWith("QuantizeLinear", StringComparison.Ordinal))
            return Role.Constant;
        return Role.Parameter;
    }

    /// <summary>Number of values in <paramref name="tensor"/>.</summary>
    public static long ElementCount(TensorProto tensor) => tensor.Dims.Aggregate(1L, (a, b) => a * b);
}
