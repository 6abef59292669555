using MLPipelines.Torch.Onnx.Execution;
using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Onnx.Ops;

/// <summary>ONNX Constant: evaluated once when the graph is compiled; its output is a constant like a non-trained initializer.</summary>
internal static class ConstantOp
{
    public static Tensor Evaluate(NodeCompilation node)
    {
        node.AllowAttributes("value", "value_float", "value_floats", "value_int", "value_ints");
        node.AllowOutputs(1);
        if (node.TensorAttribute("value") is { } proto)
            return OnnxTensorConverter.ToTorch(proto, node.Describe);
        if (node.Has("value_float"))
            return torch.tensor(node.Float("value_float", 0), ScalarType.Float32);
        if (node.Floats("value_floats") is { } floats)
            return torch.tensor(floats, [floats.Length], ScalarType.Float32);
        if (node.Has("value_int"))
            return torch.tensor(node.Int("value_int", 0), ScalarType.Int64);
        if (node.Ints("value_ints") is { } ints)
            return torch.tensor(ints, [ints.Length], ScalarType.Int64);
        throw node.NotSupported("no supported value attribute (value, value_float(s), value_int(s))");
    }
}
