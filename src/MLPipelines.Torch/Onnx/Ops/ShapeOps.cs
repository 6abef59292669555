using MLPipelines.Torch.Onnx.Execution;
using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Onnx.Ops;

/// <summary>
/// ONNX ops that only rearrange values: Flatten, Reshape, Transpose, Squeeze, Unsqueeze (attribute and input forms), Concat,
/// and the shape arithmetic ops Shape and Gather. Shape-valued inputs that are constants are read once when compiling.
/// </summary>
internal static class ShapeOps
{
    public static OnnxKernel Flatten(NodeCompilation node)
    {
        node.AllowAttributes("axis");
        node.AllowOutputs(1);
        long axis = node.Int("axis", 1);
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            int rank = (int)x.dim();
            long a = axis < 0 ? axis + rank : axis;
            if (a < 0 || a > rank)
                throw node.ShapeError($"axis {axis} is out of range for input [{string.Join(",", x.shape)}]");
            long outer = 1, inner = 1;
            for (int i = 0; i < rank; i++)
                if (i < a) outer *= x.shape[i]; else inner *= x.shape[i];
            return [x.reshape(outer, inner)];
        };
    }

    public static OnnxKernel Reshape(NodeCompilation node)
    {
        node.AllowAttributes("allowzero", "shape", "consumed_inputs");
        node.AllowOutputs(1);
        bool allowZero = node.Int("allowzero", 0) != 0;
        long[]? constantShape = node.Opset < 5 ? node.Ints("shape") : Longs(node.ConstantInput(1));
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            long[] requested = constantShape ?? Longs(inputs[1]) ?? throw node.ShapeError("the shape input is missing");
            return [x.reshape(Resolve(node, x.shape, requested, allowZero))];
        };
    }

    public static OnnxKernel Transpose(NodeCompilation node)
    {
        node.AllowAttributes("perm");
        node.AllowOutputs(1);
        long[]? perm = node.Ints("perm");
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            int rank = (int)x.dim();
            long[] order = perm ?? Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray();
            if (order.Length != rank || order.Order().Select((p, i) => p == i).Any(ok => !ok))
                throw node.ShapeError($"perm [{string.Join(",", order)}] is not a permutation of the {rank} axes");
            return [x.permute(order)];
        };
    }

    public static OnnxKernel Squeeze(NodeCompilation node)
    {
        var axes = Axes(node, inputIndex: 1, required: false);
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            long[] shape = x.shape;
            long[]? chosen = axes.Constant ?? Longs(inputs.Length > 1 ? inputs[1] : null);
            var remove = new HashSet<long>();
            if (chosen is null)
                remove.UnionWith(Enumerable.Range(0, shape.Length).Where(i => shape[i] == 1).Select(i => (long)i));
            foreach (long axis in chosen ?? [])
            {
                long a = Normalize(node, axis, shape.Length);
                if (shape[a] != 1)
                    throw node.ShapeError($"cannot squeeze axis {axis} of size {shape[a]} in input [{string.Join(",", shape)}]");
                remove.Add(a);
            }
            return [x.reshape(shape.Where((_, i) => !remove.Contains(i)).ToArray())];
        };
    }

    public static OnnxKernel Unsqueeze(NodeCompilation node)
    {
        var axes = Axes(node, inputIndex: 1, required: true);
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            long[] chosen = axes.Constant ?? Longs(inputs[1])!;
            int rank = (int)x.dim() + chosen.Length;
            var inserted = chosen.Select(a => Normalize(node, a, rank)).ToHashSet();
            if (inserted.Count != chosen.Length)
                throw node.ShapeError($"axes [{string.Join(",", chosen)}] repeat an axis");
            var shape = new long[rank];
            for (int i = 0, source = 0; i < rank; i++)
                shape[i] = inserted.Contains(i) ? 1 : x.shape[source++];
            return [x.reshape(shape)];
        };
    }

    public static OnnxKernel Concat(NodeCompilation node)
    {
        node.AllowAttributes("axis");
        node.AllowOutputs(1);
        if (!node.Has("axis") && node.Opset >= 4)
            throw node.ShapeError("the axis attribute is required");
        long axis = node.Int("axis", 1);
        return (inputs, _) =>
        {
            var parts = inputs.Where(t => t is not null).Select(t => t!).ToArray();
            long[] first = parts[0].shape;
            long a = Normalize(node, axis, first.Length);
            foreach (var part in parts)
            {
                long[] shape = part.shape;
                bool fits = shape.Length == first.Length && part.dtype == parts[0].dtype &&
                            Enumerable.Range(0, shape.Length).All(i => i == a || shape[i] == first[i]);
                if (!fits)
                    throw node.ShapeError($"inputs [{string.Join("], [", parts.Select(p => string.Join(",", p.shape)))}] cannot be concatenated on axis {axis}");
            }
            return [torch.cat(parts, a)];
        };
    }

    public static OnnxKernel Shape(NodeCompilation node)
    {
        node.AllowAttributes("start", "end");
        node.AllowOutputs(1);
        long start = node.Int("start", 0), end = node.Int("end", long.MaxValue);
        return (inputs, _) =>
        {
            long[] shape = inputs[0]!.shape;
            int rank = shape.Length;
            long Clamp(long v) => Math.Clamp(v < 0 ? v + rank : v, 0, rank);
            long from = Clamp(start), to = Clamp(end);
            long[] slice = from < to ? shape[(int)from..(int)to] : [];
            return [torch.tensor(slice, [slice.Length], ScalarType.Int64)];
        };
    }

    public static OnnxKernel Gather(NodeCompilation node)
    {
        node.AllowAttributes("axis");
        node.AllowOutputs(1);
        long axis = node.Int("axis", 0);
        return (inputs, _) =>
        {
            Tensor data = inputs[0]!, indices = inputs[1]!;
            if (indices.dtype != ScalarType.Int64)
                throw node.NotSupported($"indices of type {indices.dtype} (int32/int64 only)");
            long[] shape = data.shape;
            long a = Normalize(node, axis, shape.Length);
            long size = shape[a];
            using var flat = indices.flatten();
            long[] values = flat.data<long>().ToArray();
            if (values.Any(v => v < -size || v >= size))
                throw node.ShapeError($"an index is outside [-{size}, {size - 1}] for axis {axis} of input [{string.Join(",", shape)}]");
            using var positive = torch.tensor(values.Select(v => v < 0 ? v + size : v).ToArray(), ScalarType.Int64);
            using var picked = data.index_select(a, positive);
            long[] outShape = [.. shape[..(int)a], .. indices.shape, .. shape[((int)a + 1)..]];
            return [picked.reshape(outShape)];
        };
    }

    /// <summary>Reads the axes of Squeeze/Unsqueeze: an attribute before opset 13, an (optional) input since.</summary>
    private static (long[]? Constant, bool FromInput) Axes(NodeCompilation node, int inputIndex, bool required)
    {
        node.AllowOutputs(1);
        if (node.Opset < 13)
        {
            node.AllowAttributes("axes");
            long[]? attribute = node.Ints("axes");
            if (required && attribute is null) throw node.ShapeError("the axes attribute is required");
            return (attribute, false);
        }
        node.AllowAttributes();
        if (!node.HasInput(inputIndex))
        {
            if (required) throw node.ShapeError("the axes input is required");
            return (null, false);
        }
        return (Longs(node.ConstantInput(inputIndex)), true);
    }

    /// <summary>The values of an int64 tensor, or null for a missing one.</summary>
    internal static long[]? Longs(Tensor? tensor)
    {
        if (tensor is null) return null;
        if (tensor.dtype != ScalarType.Int64)
            throw new OnnxNotSupportedException($"expected an int64 tensor, got {tensor.dtype}");
        if (tensor.numel() == 0) return [];
        using var contiguous = tensor.contiguous();
        return contiguous.data<long>().ToArray();
    }

    private static long Normalize(NodeCompilation node, long axis, int rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw node.ShapeError($"axis {axis} is out of range for rank {rank}");
        return a;
    }

    /// <summary>The target shape of Reshape: 0 copies the input dimension (unless allowzero), −1 is inferred.</summary>
    private static long[] Resolve(NodeCompilation node, long[] input, long[] requested, bool allowZero)
    {
        var shape = (long[])requested.Clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 0 && !allowZero)
            {
                if (i >= input.Length) throw node.ShapeError($"shape [{string.Join(",", requested)}] copies dimension {i}, which input [{string.Join(",", input)}] lacks");
                shape[i] = input[i];
            }
            if (shape[i] == -1)
            {
                if (inferred >= 0) throw node.ShapeError($"shape [{string.Join(",", requested)}] has more than one -1");
                inferred = i;
            }
            else if (shape[i] < 0) throw node.ShapeError($"shape [{string.Join(",", requested)}] has a negative dimension");
            else known *= shape[i];
        }
        long total = input.Aggregate(1L, (x, y) => x * y);
        if (inferred >= 0)
        {
            if (known == 0 || total % known != 0)
                throw node.ShapeError($"cannot reshape [{string.Join(",", input)}] to [{string.Join(",", requested)}]");
            shape[inferred] = total / known;
        }
        else if (known != total)
            throw node.ShapeError($"cannot reshape [{string.Join(",", input)}] ({total} values) to [{string.Join(",", requested)}]");
        return shape;
    }
}
