using MLPipelines.Torch.Onnx.Execution;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Torch.Onnx.Ops;

/// <summary>
/// ONNX Conv (1-D, 2-D, 3-D; groups and depthwise, dilations, explicit or automatic padding). Symmetric padding goes to
/// TorchSharp's convolution directly; asymmetric padding is applied first with a zero pad.
/// </summary>
internal static class ConvOp
{
    public static OnnxKernel Create(NodeCompilation node)
    {
        node.AllowAttributes("kernel_shape", "strides", "dilations", "pads", "auto_pad", "group");
        node.AllowOutputs(1);
        long groups = node.Int("group", 1);
        long[]? weightShape = node.InitializerShape(1);
        long[]? kernel = node.Ints("kernel_shape") ?? weightShape?[2..];
        if (kernel is null)
            throw node.NotSupported("the kernel shape must be known when the graph is compiled (kernel_shape attribute or an initializer weight)");
        if (kernel.Length is < 1 or > 3)
            throw node.NotSupported($"{kernel.Length}-D convolution is not supported (1-D to 3-D)");
        var window = SpatialWindow.Read(node, kernel);
        long[]? staticPads = window.StaticPads ? window.Pads([]) : null;
        int rank = kernel.Length;
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            var w = inputs[1]!;
            var b = inputs.Length > 2 ? inputs[2] : null;
            Check(node, x.shape, w.shape, b?.shape, kernel, groups);
            long[] pads = staticPads ?? window.Pads(x.shape.AsSpan(2));
            var symmetric = SpatialWindow.Symmetric(pads);
            Tensor input = x;
            Tensor? padded = null;
            if (symmetric is null)
            {
                padded = F.pad(x, SpatialWindow.TorchPadOrder(pads), PaddingModes.Constant, 0);
                input = padded;
                symmetric = new long[rank];
            }
            var y = rank switch
            {
                1 => F.conv1d(input, w, b, window.Strides[0], symmetric[0], window.Dilations[0], groups),
                2 => F.conv2d(input, w, b, window.Strides, symmetric, window.Dilations, groups),
                _ => F.conv3d(input, w, b, window.Strides, symmetric, window.Dilations, groups),
            };
            padded?.Dispose();
            return [y];
        };
    }

    private static void Check(NodeCompilation node, long[] x, long[] w, long[]? b, long[] kernel, long groups)
    {
        if (x.Length != kernel.Length + 2 || w.Length != kernel.Length + 2)
            throw node.ShapeError($"input [{string.Join(",", x)}] and weight [{string.Join(",", w)}] must both have rank {kernel.Length + 2}");
        if (x[1] != w[1] * groups || w[0] % groups != 0)
            throw node.ShapeError($"input has {x[1]} channels but weight [{string.Join(",", w)}] with group={groups} expects {w[1] * groups}");
        if (!w.AsSpan(2).SequenceEqual(kernel))
            throw node.ShapeError($"weight [{string.Join(",", w)}] does not match kernel_shape [{string.Join(",", kernel)}]");
        if (b is not null && (b.Length != 1 || b[0] != w[0]))
            throw node.ShapeError($"bias [{string.Join(",", b)}] must have {w[0]} values");
    }
}
