using MLPipelines.Torch.Onnx.Execution;

namespace MLPipelines.Torch.Onnx.Ops;

/// <summary>Numpy broadcasting rules, checked in managed code before TorchSharp sees the tensors.</summary>
internal static class Broadcast
{
    /// <summary>Throws when shapes <paramref name="a"/> and <paramref name="b"/> cannot broadcast together.</summary>
    public static void CheckCompatible(NodeCompilation node, ReadOnlySpan<long> a, ReadOnlySpan<long> b)
    {
        if (!Compatible(a, b))
            throw node.ShapeError($"shapes [{string.Join(",", a.ToArray())}] and [{string.Join(",", b.ToArray())}] do not broadcast");
    }

    public static bool Compatible(ReadOnlySpan<long> a, ReadOnlySpan<long> b)
    {
        for (int i = 1; i <= Math.Min(a.Length, b.Length); i++)
        {
            long x = a[^i], y = b[^i];
            if (x != y && x != 1 && y != 1) return false;
        }
        return true;
    }
}
