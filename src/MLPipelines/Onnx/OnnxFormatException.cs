namespace MLPipelines.Onnx;

/// <summary>An ONNX file or graph that MLPipelines cannot use; the message is one line naming the file, node or tensor.</summary>
public sealed class OnnxFormatException(string message) : Exception(message);
