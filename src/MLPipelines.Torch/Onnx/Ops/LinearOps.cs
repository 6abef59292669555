using MLPipelines.Torch.Onnx.Execution;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Torch.Onnx.Ops;

/// <summary>
/// ONNX Gemm (transA, transB, alpha, beta, optional C) and MatMul (numpy semantics). Shapes are checked in managed code first:
/// a mismatched matrix product aborts the TorchSharp process natively instead of throwing.
/// </summary>
internal static class LinearOps
{
    public static OnnxKernel Gemm(NodeCompilation node)
    {
        node.AllowAttributes("alpha", "beta", "transA", "transB", "broadcast");
        node.AllowOutputs(1);
        float alpha = node.Float("alpha", 1f), beta = node.Float("beta", 1f);
        bool transA = node.Int("transA", 0) != 0, transB = node.Int("transB", 0) != 0;
        // The common classifier layer (x·Wᵀ + b) is one fused TorchSharp call, like torch.nn.Linear.
        bool linear = !transA && transB && alpha == 1f && beta == 1f;
        return (inputs, _) =>
        {
            Tensor a = inputs[0]!, b = inputs[1]!;
            Tensor? c = inputs.Length > 2 ? inputs[2] : null;
            if (a.dim() != 2 || b.dim() != 2)
                throw node.ShapeError($"A [{string.Join(",", a.shape)}] and B [{string.Join(",", b.shape)}] must be matrices");
            long m = transA ? a.shape[1] : a.shape[0], k = transA ? a.shape[0] : a.shape[1];
            long kb = transB ? b.shape[1] : b.shape[0], n = transB ? b.shape[0] : b.shape[1];
            if (k != kb)
                throw node.ShapeError($"A{(transA ? "ᵀ" : "")} [{m},{k}] and B{(transB ? "ᵀ" : "")} [{kb},{n}] do not multiply ({k} ≠ {kb})");
            if (c is not null && (c.dim() > 2 || !Broadcast.Compatible([m, n], c.shape) || c.shape.Zip(new[] { m, n }.TakeLast(c.shape.Length)).Any(p => p.First != 1 && p.First != p.Second)))
                throw node.ShapeError($"C [{string.Join(",", c.shape)}] does not broadcast to the product's shape [{m},{n}]");
            if (linear && (c is null || c.dim() == 1))
                return [F.linear(a, b, c)];
            using var left = transA ? a.t() : a.alias();
            using var right = transB ? b.t() : b.alias();
            var product = left.matmul(right);
            if (alpha != 1f) product = Replace(product, product * alpha);
            if (c is null || beta == 0f) return [product];
            using var scaledC = beta == 1f ? c.alias() : c * beta;
            return [Replace(product, product + scaledC)];
        };
    }

    public static OnnxKernel MatMul(NodeCompilation node)
    {
        node.AllowAttributes();
        node.AllowOutputs(1);
        return (inputs, _) =>
        {
            Tensor a = inputs[0]!, b = inputs[1]!;
            long[] sa = a.shape, sb = b.shape;
            if (sa.Length == 0 || sb.Length == 0)
                throw node.ShapeError("MatMul inputs must have rank ≥ 1");
            long k = sa[^1], kb = sb.Length == 1 ? sb[0] : sb[^2];
            if (k != kb)
                throw node.ShapeError($"A [{string.Join(",", sa)}] and B [{string.Join(",", sb)}] do not multiply ({k} ≠ {kb})");
            if (sa.Length > 2 && sb.Length > 2 && !Broadcast.Compatible(sa[..^2], sb[..^2]))
                throw node.ShapeError($"batch dimensions of A [{string.Join(",", sa)}] and B [{string.Join(",", sb)}] do not broadcast");
            if (a.dtype != ScalarType.Float32 || b.dtype != ScalarType.Float32)
                throw node.NotSupported($"data types {a.dtype}/{b.dtype} (float32 only)");
            return [a.matmul(b)];
        };
    }

    private static Tensor Replace(Tensor old, Tensor result)
    {
        old.Dispose();
        return result;
    }
}
