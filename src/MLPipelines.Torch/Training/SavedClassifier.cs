using System.IO.Compression;
using MLPipelines.Onnx;

namespace MLPipelines.Torch.Training;

/// <summary>
/// Reads the ONNX network of a classifier saved by this trainer, from the .onnx file or from a model.zip (ML.NET stores the
/// ONNX bytes of ApplyOnnxModel in an entry named <c>OnnxModel</c>, prefixed by their length), to continue training it.
/// </summary>
public static class SavedClassifier
{
    /// <summary>The ONNX model in <paramref name="path"/> (.onnx or model.zip); a one-line error says what is wrong.</summary>
    public static MLPipelines.Onnx.Proto.ModelProto LoadOnnx(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: the model to continue from does not exist", path);
        if (!path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            return OnnxModelFile.Load(path);
        using var zip = ZipFile.OpenRead(path);
        var entries = zip.Entries.Where(e => e.Name == "OnnxModel").ToList();
        if (entries.Count != 1)
            throw new InvalidDataException($"{path}: expected one ONNX network in the model.zip, found {entries.Count}");
        using var stream = entries[0].Open();
        using var reader = new BinaryReader(stream);
        int length = reader.ReadInt32();
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length) throw new InvalidDataException($"{path}: the ONNX network in the model.zip is truncated");
        try
        {
            return MLPipelines.Onnx.Proto.ModelProto.Parser.ParseFrom(bytes);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path}: the model.zip's OnnxModel entry is not an ONNX model ({e.Message})", e);
        }
    }
}
