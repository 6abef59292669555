using Google.Protobuf;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;
using TorchSharp;
using static TorchSharp.torch;
using DataType = MLPipelines.Onnx.Proto.TensorProto.Types.DataType;

namespace MLPipelines.Torch.Onnx.Execution;

/// <summary>
/// Converts ONNX <see cref="TensorProto"/> values to TorchSharp tensors and back. The executor computes in float32 and uses
/// int64 for shapes and indices; int32 and bool inputs are widened/kept where an op only reads them as indices or masks.
/// </summary>
internal static class OnnxTensorConverter
{
    /// <summary>The data types the executor accepts in tensors.</summary>
    public static readonly IReadOnlyList<DataType> Supported = [DataType.Float, DataType.Int64, DataType.Int32, DataType.Bool];

    /// <summary>A new CPU tensor with the values of <paramref name="proto"/>; <paramref name="where"/> names it in errors.</summary>
    public static Tensor ToTorch(TensorProto proto, string where)
    {
        if (proto.DataLocation == TensorProto.Types.DataLocation.External || proto.ExternalData.Count > 0)
            throw new OnnxNotSupportedException($"{where}: tensor '{proto.Name}' keeps its data in an external file, which is not supported");
        long[] shape = [.. proto.Dims];
        var type = (DataType)proto.DataType;
        if (shape.Any(d => d == 0) && Supported.Contains(type))
            return torch.empty(shape, type switch { DataType.Float => ScalarType.Float32, DataType.Bool => ScalarType.Bool, _ => ScalarType.Int64 });
        switch (type)
        {
            case DataType.Float:
                return torch.tensor(OnnxTensors.ReadFloats(proto), shape, ScalarType.Float32);
            case DataType.Int64:
                return torch.tensor(proto.RawData.IsEmpty ? [.. proto.Int64Data] : Cast<long>(proto.RawData), shape, ScalarType.Int64);
            case DataType.Int32:
                // ONNX int32 values: raw little-endian or packed in int32_data; the executor only uses them as indices.
                int[] ints = proto.RawData.IsEmpty ? [.. proto.Int32Data] : Cast<int>(proto.RawData);
                return torch.tensor(ints.Select(i => (long)i).ToArray(), shape, ScalarType.Int64);
            case DataType.Bool:
                bool[] flags = proto.RawData.IsEmpty ? proto.Int32Data.Select(i => i != 0).ToArray() : proto.RawData.Span.ToArray().Select(b => b != 0).ToArray();
                return torch.tensor(flags, shape, ScalarType.Bool);
            default:
                throw new OnnxNotSupportedException($"{where}: tensor '{proto.Name}' has data type {type}; the TorchSharp executor supports {string.Join(", ", Supported)}");
        }
    }

    /// <summary>A float32 ONNX tensor holding the values of <paramref name="tensor"/> (copied to the CPU, no gradient).</summary>
    public static TensorProto ToOnnx(string name, Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        if (cpu.dtype == ScalarType.Float32)
            return OnnxTensors.Float(name, cpu.shape, cpu.data<float>().ToArray());
        if (cpu.dtype == ScalarType.Int64)
            return OnnxTensors.Int64(name, cpu.shape, cpu.data<long>().ToArray());
        throw new OnnxNotSupportedException($"tensor '{name}': cannot export data type {cpu.dtype}");
    }

    /// <summary>The ONNX data type of a tensor's element type, for error messages and value infos.</summary>
    public static DataType OnnxType(ScalarType type) => type switch
    {
        ScalarType.Float32 => DataType.Float,
        ScalarType.Int64 => DataType.Int64,
        ScalarType.Bool => DataType.Bool,
        _ => DataType.Undefined,
    };

    private static T[] Cast<T>(ByteString bytes) where T : struct =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes.Span).ToArray();
}
