using MLPipelines.Torch.Onnx.Execution;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Torch.Onnx.Ops;

/// <summary>Softmax and LogSoftmax (both axis semantics), Dropout (active only in train mode) and Identity.</summary>
internal static class ActivationOps
{
    /// <summary>
    /// Softmax or LogSoftmax. Before opset 13 the input is coerced to 2-D at <c>axis</c> (default 1) and normalized over
    /// the flattened trailing dimensions; from opset 13 it is normalized over the single axis (default −1).
    /// </summary>
    public static OnnxKernel Softmax(NodeCompilation node, bool logarithm)
    {
        node.AllowAttributes("axis");
        node.AllowOutputs(1);
        bool legacy = node.Opset < 13;
        long axis = node.Int("axis", legacy ? 1 : -1);
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            int rank = (int)x.dim();
            long a = axis < 0 ? axis + rank : axis;
            if (a < 0 || a >= Math.Max(rank, 1))
                throw node.ShapeError($"axis {axis} is out of range for input [{string.Join(",", x.shape)}]");
            if (!legacy)
                return [logarithm ? F.log_softmax(x, a) : F.softmax(x, a)];
            long outer = x.shape[..(int)a].Aggregate(1L, (p, d) => p * d);
            using var matrix = x.reshape(outer, -1);
            using var normalized = logarithm ? F.log_softmax(matrix, 1) : F.softmax(matrix, 1);
            return [normalized.reshape(x.shape)];
        };
    }

    /// <summary>
    /// Dropout with the ratio as an attribute (opset &lt; 12) or a constant input. Follows the module's train()/eval() state;
    /// the optional mask output and a training_mode input are not supported.
    /// </summary>
    public static OnnxKernel Dropout(NodeCompilation node)
    {
        node.AllowAttributes("ratio", "is_test", "seed", "consumed_inputs");
        node.AllowOutputs(1);
        if (node.HasInput(2))
            throw node.NotSupported("the training_mode input is not supported: the module's train()/eval() state decides");
        double? constantRatio = node.Opset < 12 ? node.Float("ratio", 0.5f) : node.HasInput(1) ? node.ConstantInput(1)?.item<float>() : 0.5;
        return (inputs, training) =>
        {
            if (!training) return [inputs[0]!.alias()];
            // A ratio fed at run time is read only when it matters (train mode).
            double ratio = constantRatio ?? inputs[1]!.item<float>();
            if (ratio is < 0 or >= 1)
                throw node.ShapeError($"ratio {ratio} must be in [0, 1)");
            return [ratio > 0 ? F.dropout(inputs[0]!, ratio, true) : inputs[0]!.alias()];
        };
    }

    public static OnnxKernel Identity(NodeCompilation node)
    {
        node.AllowAttributes();
        node.AllowOutputs(1);
        return (inputs, _) => [inputs[0]!.alias()];
    }
}
