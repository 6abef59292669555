namespace MLPipelines.Torch.Onnx;

/// <summary>
/// A valid ONNX graph that the TorchSharp executor cannot run: an op, attribute value, data type or opset outside what it
/// implements. The message is one line naming the node and the op. Distinct from <see cref="MLPipelines.Onnx.OnnxFormatException"/>
/// (a broken file) so that the conformance runner can report such cases as "not applicable" rather than failed.
/// </summary>
public sealed class OnnxNotSupportedException(string message) : Exception(message);
