using MLPipelines.Torch.Onnx.Execution;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Torch.Onnx.Ops;

/// <summary>
/// ONNX MaxPool, AveragePool (pads, strides, dilations for MaxPool, auto_pad, ceil_mode, count_include_pad) and
/// GlobalAveragePool. Padding that TorchSharp's pooling accepts (symmetric, at most half the kernel) is passed through;
/// other padding is applied explicitly: −∞ for MaxPool; for AveragePool zeros, and without count_include_pad the window
/// sums are divided by the number of real pixels each window covers (the average pool of a ones-tensor padded the same way).
/// </summary>
internal static class PoolOps
{
    public static OnnxKernel MaxPool(NodeCompilation node)
    {
        node.AllowAttributes("kernel_shape", "strides", "dilations", "pads", "auto_pad", "ceil_mode", "storage_order");
        node.AllowOutputs(1);
        if (node.Int("storage_order", 0) != 0)
            throw node.NotSupported("storage_order=1 only affects the Indices output, which is not supported");
        var window = ReadWindow(node);
        bool ceil = node.Int("ceil_mode", 0) != 0;
        return (inputs, _) =>
        {
            var x = CheckRank(node, inputs[0]!, window);
            long[] pads = window.Pads(x.shape.AsSpan(2));
            long[]? direct = TorchAcceptsPadding(pads, window);
            if (direct is not null)
                return [Max(x, window, direct, ceil)];
            using var padded = F.pad(x, SpatialWindow.TorchPadOrder(pads), PaddingModes.Constant, double.NegativeInfinity);
            return [Max(padded, window, new long[window.Rank], ceil)];
        };
    }

    public static OnnxKernel AveragePool(NodeCompilation node)
    {
        node.AllowAttributes("kernel_shape", "strides", "dilations", "pads", "auto_pad", "ceil_mode", "count_include_pad");
        node.AllowOutputs(1);
        var window = ReadWindow(node);
        if (window.Dilations.Any(d => d != 1))
            throw node.NotSupported("AveragePool with dilations > 1 is not supported (TorchSharp's average pooling has no dilation)");
        bool ceil = node.Int("ceil_mode", 0) != 0;
        bool countPad = node.Int("count_include_pad", 0) != 0;
        return (inputs, _) =>
        {
            var x = CheckRank(node, inputs[0]!, window);
            long[] pads = window.Pads(x.shape.AsSpan(2));
            long[]? direct = TorchAcceptsPadding(pads, window);
            if (direct is not null)
                return [Average(x, window, direct, ceil, countPad)];
            var zero = new long[window.Rank];
            long[] torchPads = SpatialWindow.TorchPadOrder(pads);
            using var padded = F.pad(x, torchPads, PaddingModes.Constant, 0);
            if (countPad)
                return [Average(padded, window, zero, ceil, countPad: true)];
            using var ones = torch.ones([1, 1, .. x.shape.AsSpan(2)], x.dtype);
            using var paddedOnes = F.pad(ones, torchPads, PaddingModes.Constant, 0);
            using var sums = Average(padded, window, zero, ceil, countPad: true);
            using var fraction = Average(paddedOnes, window, zero, ceil, countPad: true);
            return [sums / fraction];
        };
    }

    public static OnnxKernel GlobalAveragePool(NodeCompilation node)
    {
        node.AllowAttributes();
        node.AllowOutputs(1);
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            if (x.dim() < 3)
                throw node.ShapeError($"input [{string.Join(",", x.shape)}] needs rank ≥ 3 (N, C, spatial...)");
            long[] spatial = Enumerable.Range(2, (int)x.dim() - 2).Select(i => (long)i).ToArray();
            return [x.mean(spatial, keepdim: true)];
        };
    }

    private static SpatialWindow ReadWindow(NodeCompilation node)
    {
        long[] kernel = node.Ints("kernel_shape") ?? throw node.ShapeError("kernel_shape is required");
        if (kernel.Length is < 1 or > 3)
            throw node.NotSupported($"{kernel.Length}-D pooling is not supported (1-D to 3-D)");
        return SpatialWindow.Read(node, kernel);
    }

    private static Tensor CheckRank(NodeCompilation node, Tensor x, SpatialWindow window)
    {
        if (x.dim() != window.Rank + 2)
            throw node.ShapeError($"input [{string.Join(",", x.shape)}] must have rank {window.Rank + 2} for kernel [{string.Join(",", window.Kernel)}]");
        return x;
    }

    /// <summary>TorchSharp pools take symmetric padding of at most half the (dilated) kernel; else null.</summary>
    private static long[]? TorchAcceptsPadding(long[] pads, SpatialWindow window)
    {
        var symmetric = SpatialWindow.Symmetric(pads);
        if (symmetric is null) return null;
        for (int i = 0; i < symmetric.Length; i++)
            if (symmetric[i] * 2 > (window.Kernel[i] - 1) * window.Dilations[i] + 1)
                return null;
        return symmetric;
    }

    private static Tensor Max(Tensor x, SpatialWindow w, long[] pads, bool ceil) => w.Rank switch
    {
        1 => F.max_pool1d(x, w.Kernel[0], w.Strides[0], pads[0], w.Dilations[0], ceil),
        2 => F.max_pool2d(x, w.Kernel, w.Strides, pads, w.Dilations, ceil),
        _ => F.max_pool3d(x, w.Kernel, w.Strides, pads, w.Dilations, ceil),
    };

    private static Tensor Average(Tensor x, SpatialWindow w, long[] pads, bool ceil, bool countPad) => w.Rank switch
    {
        1 => F.avg_pool1d(x, w.Kernel[0], w.Strides[0], pads[0], ceil, countPad),
        2 => F.avg_pool2d(x, w.Kernel, w.Strides, pads, ceil, countPad),
        _ => F.avg_pool3d(x, w.Kernel, w.Strides, pads, ceil, countPad),
    };
}
