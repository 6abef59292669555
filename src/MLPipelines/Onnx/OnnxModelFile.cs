using Google.Protobuf;
using MLPipelines.Onnx.Proto;

namespace MLPipelines.Onnx;

/// <summary>Reads and writes ONNX <c>ModelProto</c> files.</summary>
public static class OnnxModelFile
{
    /// <summary>Reads an ONNX model; rejects files that are not ONNX or keep tensors in external data files.</summary>
    public static ModelProto Load(string path)
    {
        if (!File.Exists(path))
            throw new OnnxFormatException($"{path}: file does not exist");
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException($"{path}: not an ONNX model ({e.Message.TrimEnd('.')})");
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw new OnnxFormatException($"{path}: not an ONNX model (no graph nodes)");
        foreach (var tensor in model.Graph.Initializer)
            if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
                throw new OnnxFormatException($"{path}: initializer '{tensor.Name}' is stored in an external data file, which is not supported; re-save the model with all tensors inside the .onnx file");
        return model;
    }

    /// <summary>Writes a model atomically.</summary>
    public static void Save(ModelProto model, string path) =>
        AtomicFile.WriteStream(path, stream => model.WriteTo(stream));

    /// <summary>The model's serialized bytes.</summary>
    public static byte[] ToBytes(ModelProto model) => model.ToByteArray();

    /// <summary>The default-domain opset the model imports (0 when it imports none).</summary>
    public static long DefaultOpset(ModelProto model) =>
        model.OpsetImport.Where(o => string.IsNullOrEmpty(o.Domain) || o.Domain == "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
}
