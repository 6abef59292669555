using Google.Protobuf;
using MLPipelines.Onnx.Proto;

namespace MLPipelines.Onnx;

/// <summary>Builds and reads ONNX tensors and value infos.</summary>
public static class OnnxTensors
{
    /// <summary>A float tensor initializer stored as raw little-endian data.</summary>
    public static TensorProto Float(string name, long[] shape, ReadOnlySpan<float> values)
    {
        if (shape.Aggregate(1L, (a, b) => a * b) != values.Length)
            throw new ArgumentException($"tensor '{name}': shape [{string.Join(",", shape)}] does not hold {values.Length} values");
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(shape);
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
        return tensor;
    }

    /// <summary>An int64 tensor initializer (shapes, axes).</summary>
    public static TensorProto Int64(string name, long[] shape, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(shape);
        tensor.Int64Data.AddRange(values);
        return tensor;
    }

    /// <summary>The values of a float tensor, from raw data or the float_data field.</summary>
    public static float[] ReadFloats(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new OnnxFormatException($"tensor '{tensor.Name}' has data type {(TensorProto.Types.DataType)tensor.DataType}, expected float");
        if (!tensor.RawData.IsEmpty)
            return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
        return [.. tensor.FloatData];
    }

    /// <summary>A float tensor value info with the given dimensions; null or negative entries become symbolic dimensions.</summary>
    public static ValueInfoProto FloatValueInfo(string name, params object?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            var d = new TensorShapeProto.Types.Dimension();
            switch (dim)
            {
                case long value when value >= 0: d.DimValue = value; break;
                case int value when value >= 0: d.DimValue = value; break;
                case string symbol: d.DimParam = symbol; break;
                default: d.DimParam = "N"; break;
            }
            shape.Dim.Add(d);
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>A float tensor value info of unknown shape (the runtime infers it).</summary>
    public static ValueInfoProto FloatValueInfoUnknownShape(string name) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
    };

    /// <summary>A node with the given op type, inputs, outputs and optional attributes.</summary>
    public static NodeProto Node(string opType, string name, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A string attribute.</summary>
    public static AttributeProto StringAttribute(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto IntsAttribute(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
