using MLPipelines.Torch.Onnx.Execution;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Torch.Onnx.Ops;

/// <summary>Element-wise ONNX ops: activations (Relu, Sigmoid, HardSigmoid, HardSwish, Clip) and Add/Sub/Mul/Div with broadcasting.</summary>
internal static class ElementwiseOps
{
    public static OnnxKernel Unary(NodeCompilation node, Func<Tensor, Tensor> function)
    {
        node.AllowAttributes();
        node.AllowOutputs(1);
        return (inputs, _) => [function(FloatInput(node, inputs[0]!))];
    }

    public static OnnxKernel HardSigmoid(NodeCompilation node)
    {
        node.AllowAttributes("alpha", "beta");
        node.AllowOutputs(1);
        double alpha = node.Float("alpha", 0.2f), beta = node.Float("beta", 0.5f);
        return (inputs, _) =>
        {
            using var linear = FloatInput(node, inputs[0]!) * alpha + beta;
            return [linear.clamp(0.0, 1.0)];
        };
    }

    /// <summary>Clip: bounds as attributes (opset &lt; 11) or as optional inputs; constant bounds are read once.</summary>
    public static OnnxKernel Clip(NodeCompilation node)
    {
        if (node.Opset < 11)
        {
            node.AllowAttributes("min", "max");
            node.AllowOutputs(1);
            double low = node.Float("min", float.MinValue), high = node.Float("max", float.MaxValue);
            return (inputs, _) => [FloatInput(node, inputs[0]!).clamp(low, high)];
        }
        node.AllowAttributes();
        node.AllowOutputs(1);
        double? constantLow = Scalar(node, 1), constantHigh = Scalar(node, 2);
        bool lowIsConstant = !node.HasInput(1) || constantLow is not null, highIsConstant = !node.HasInput(2) || constantHigh is not null;
        if (lowIsConstant && highIsConstant)
        {
            double low = constantLow ?? double.NegativeInfinity, high = constantHigh ?? double.PositiveInfinity;
            return (inputs, _) => [FloatInput(node, inputs[0]!).clamp(low, high)];
        }
        return (inputs, _) =>
        {
            var x = FloatInput(node, inputs[0]!);
            foreach (var bound in inputs.Skip(1))
                if (bound is not null && bound.numel() != 1)
                    throw node.ShapeError($"min and max must be scalars, got shape [{string.Join(",", bound.shape)}]");
            return [x.clamp(inputs[1], inputs.Length > 2 ? inputs[2] : null)];
        };
    }

    /// <summary>Add, Sub, Mul or Div with numpy broadcasting; integer Div truncates as ONNX specifies.</summary>
    public static OnnxKernel Binary(NodeCompilation node, Func<Tensor, Tensor, Tensor> function)
    {
        // axis/broadcast: the explicit broadcasting of opset < 7; only the numpy-compatible default is accepted.
        node.AllowAttributes("broadcast", "axis");
        node.AllowOutputs(1);
        if (node.Has("axis"))
            throw node.NotSupported("legacy broadcasting with an 'axis' attribute (opset < 7) is not supported");
        bool integerDivision = node.Node.OpType == "Div";
        return (inputs, _) =>
        {
            Tensor a = inputs[0]!, b = inputs[1]!;
            if (a.dtype != b.dtype)
                throw node.ShapeError($"inputs have different types {a.dtype} and {b.dtype}");
            if (a.dtype != ScalarType.Float32 && a.dtype != ScalarType.Int64)
                throw node.NotSupported($"data type {a.dtype} is not supported (float32, int64)");
            Broadcast.CheckCompatible(node, a.shape, b.shape);
            if (integerDivision && a.dtype == ScalarType.Int64)
                return [torch.div(a, b, RoundingMode.trunc)];
            return [function(a, b)];
        };
    }

    private static Tensor FloatInput(NodeCompilation node, Tensor x)
    {
        if (x.dtype != ScalarType.Float32)
            throw node.NotSupported($"data type {x.dtype} is not supported (float32)");
        return x;
    }

    private static double? Scalar(NodeCompilation node, int index)
    {
        var value = node.ConstantInput(index);
        if (value is null) return null;
        if (value.numel() != 1)
            throw node.ShapeError($"input {index} must be a scalar, got shape [{string.Join(",", value.shape)}]");
        return value.dtype == ScalarType.Float32 ? value.item<float>() : throw node.NotSupported($"bound of type {value.dtype} (float32 only)");
    }
}
