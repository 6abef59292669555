using MLPipelines.Torch.Onnx.Execution;

namespace MLPipelines.Torch.Onnx.Ops;

/// <summary>
/// The sliding-window attributes shared by Conv and the pooling ops (kernel_shape, strides, dilations, pads, auto_pad), and
/// the padding they mean for a given input size. ONNX pads are [x1_begin, x2_begin, ..., x1_end, x2_end].
/// </summary>
internal sealed class SpatialWindow
{
    private readonly long[]? _explicitPads;

    private SpatialWindow(long[] kernel, long[] strides, long[] dilations, long[]? pads, string autoPad)
    {
        Kernel = kernel;
        Strides = strides;
        Dilations = dilations;
        _explicitPads = pads;
        AutoPad = autoPad;
    }

    public long[] Kernel { get; }
    public long[] Strides { get; }
    public long[] Dilations { get; }

    /// <summary>NOTSET (explicit pads), VALID, SAME_UPPER or SAME_LOWER.</summary>
    public string AutoPad { get; }

    public int Rank => Kernel.Length;

    /// <summary>True when the padding does not depend on the input size (so it can be computed once).</summary>
    public bool StaticPads => AutoPad is "NOTSET" or "VALID";

    /// <summary>Reads the window attributes of a node whose kernel has <paramref name="kernel"/> spatial sizes.</summary>
    public static SpatialWindow Read(NodeCompilation node, long[] kernel)
    {
        int rank = kernel.Length;
        long[] strides = node.Ints("strides") ?? Enumerable.Repeat(1L, rank).ToArray();
        long[] dilations = node.Ints("dilations") ?? Enumerable.Repeat(1L, rank).ToArray();
        long[]? pads = node.Ints("pads");
        string autoPad = node.String("auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER"))
            throw node.NotSupported($"auto_pad '{autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        if (strides.Length != rank || dilations.Length != rank || (pads is not null && pads.Length != 2 * rank))
            throw node.ShapeError($"strides/dilations/pads do not match the {rank} spatial dimensions of kernel [{string.Join(",", kernel)}]");
        if (strides.Any(s => s < 1) || dilations.Any(d => d < 1) || (pads?.Any(p => p < 0) ?? false))
            throw node.ShapeError("strides and dilations must be ≥ 1 and pads ≥ 0");
        if (autoPad != "NOTSET" && pads is not null && pads.Any(p => p != 0))
            throw node.ShapeError($"pads and auto_pad '{autoPad}' are both set");
        return new SpatialWindow(kernel, strides, dilations, pads, autoPad);
    }

    /// <summary>The ONNX pads [begins..., ends...] for an input whose spatial sizes are <paramref name="spatial"/>.</summary>
    public long[] Pads(ReadOnlySpan<long> spatial)
    {
        if (AutoPad == "NOTSET") return _explicitPads ?? new long[2 * Rank];
        var pads = new long[2 * Rank];
        if (AutoPad == "VALID") return pads;
        for (int i = 0; i < Rank; i++)
        {
            long output = (spatial[i] + Strides[i] - 1) / Strides[i];
            long total = Math.Max(0, (output - 1) * Strides[i] + (Kernel[i] - 1) * Dilations[i] + 1 - spatial[i]);
            long small = total / 2, large = total - small;
            (pads[i], pads[Rank + i]) = AutoPad == "SAME_UPPER" ? (small, large) : (large, small);
        }
        return pads;
    }

    /// <summary>The per-axis padding when begin and end pads are equal, else null.</summary>
    public static long[]? Symmetric(long[] pads)
    {
        int rank = pads.Length / 2;
        var result = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            if (pads[i] != pads[rank + i]) return null;
            result[i] = pads[i];
        }
        return result;
    }

    /// <summary>The ONNX pads in torch.nn.functional.pad order: last axis first, (begin, end) per axis.</summary>
    public static long[] TorchPadOrder(long[] pads)
    {
        int rank = pads.Length / 2;
        var result = new long[2 * rank];
        for (int i = 0; i < rank; i++)
        {
            result[2 * i] = pads[rank - 1 - i];
            result[2 * i + 1] = pads[2 * rank - 1 - i];
        }
        return result;
    }
}
