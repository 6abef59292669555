using MLPipelines.Torch.Onnx.Execution;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Torch.Onnx.Ops;

/// <summary>
/// The ONNX ops the TorchSharp executor implements, each a factory that turns a node into a compiled kernel, and which of
/// their float initializer inputs are trained (weights and biases) or are running statistics (buffers).
/// </summary>
internal static class OnnxOpRegistry
{
    /// <summary>The opsets of the default domain the executor accepts (the ops' semantics are handled across this range).</summary>
    public const long MinimumOpset = 1, MaximumOpset = 21;

    private static readonly Dictionary<string, Func<NodeCompilation, OnnxKernel>> Factories = new()
    {
        ["Conv"] = ConvOp.Create,
        ["BatchNormalization"] = BatchNormalizationOp.Create,
        ["Relu"] = n => ElementwiseOps.Unary(n, x => F.relu(x)),
        ["Sigmoid"] = n => ElementwiseOps.Unary(n, x => x.sigmoid()),
        ["HardSwish"] = n => ElementwiseOps.Unary(n, x => F.hardswish(x)),
        ["HardSigmoid"] = ElementwiseOps.HardSigmoid,
        ["Clip"] = ElementwiseOps.Clip,
        ["Add"] = n => ElementwiseOps.Binary(n, (a, b) => a + b),
        ["Sub"] = n => ElementwiseOps.Binary(n, (a, b) => a - b),
        ["Mul"] = n => ElementwiseOps.Binary(n, (a, b) => a * b),
        ["Div"] = n => ElementwiseOps.Binary(n, (a, b) => a / b),
        ["Concat"] = ShapeOps.Concat,
        ["MaxPool"] = PoolOps.MaxPool,
        ["AveragePool"] = PoolOps.AveragePool,
        ["GlobalAveragePool"] = PoolOps.GlobalAveragePool,
        ["Flatten"] = ShapeOps.Flatten,
        ["Reshape"] = ShapeOps.Reshape,
        ["Transpose"] = ShapeOps.Transpose,
        ["Squeeze"] = ShapeOps.Squeeze,
        ["Unsqueeze"] = ShapeOps.Unsqueeze,
        ["Shape"] = ShapeOps.Shape,
        ["Gather"] = ShapeOps.Gather,
        ["Gemm"] = LinearOps.Gemm,
        ["MatMul"] = LinearOps.MatMul,
        ["Dropout"] = ActivationOps.Dropout,
        ["Softmax"] = n => ActivationOps.Softmax(n, logarithm: false),
        ["LogSoftmax"] = n => ActivationOps.Softmax(n, logarithm: true),
        ["Identity"] = ActivationOps.Identity,
    };

    /// <summary>Every supported op type, Constant included, sorted.</summary>
    public static IReadOnlyList<string> SupportedOps { get; } = [.. Factories.Keys.Append("Constant").Order(StringComparer.Ordinal)];

    public static bool IsSupported(string opType) => opType == "Constant" || Factories.ContainsKey(opType);

    /// <summary>Builds the kernel of a node (not Constant, which <see cref="ConstantOp"/> evaluates while compiling).</summary>
    public static OnnxKernel Create(NodeCompilation node)
    {
        if (node.Node.Domain is not ("" or "ai.onnx"))
            throw node.NotSupported($"domain '{node.Node.Domain}' is not supported by the TorchSharp executor (only the default ONNX domain)");
        if (!Factories.TryGetValue(node.Node.OpType, out var factory))
            throw node.NotSupported($"op not supported by the TorchSharp executor; supported: {string.Join(", ", SupportedOps)}");
        return factory(node);
    }

    /// <summary>Whether a float initializer at input <paramref name="index"/> of <paramref name="opType"/> is a trained parameter.</summary>
    public static bool IsTrainedInput(string opType, int index) => opType switch
    {
        "Conv" => index is 1 or 2,
        "Gemm" => index is 1 or 2,
        "MatMul" => true,
        "BatchNormalization" => index is 1 or 2,
        "Add" or "Sub" or "Mul" or "Div" => true,
        _ => false,
    };

    /// <summary>Whether input <paramref name="index"/> of <paramref name="opType"/> is a running statistic (a buffer, updated in train mode).</summary>
    public static bool IsRunningStatistic(string opType, int index) => opType == "BatchNormalization" && index is 3 or 4;
}
