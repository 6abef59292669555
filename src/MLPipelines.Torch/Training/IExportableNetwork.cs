namespace MLPipelines.Torch.Training;

/// <summary>A trainable network that can be written as an ONNX classifier for stock ML.NET scoring.</summary>
public interface IExportableNetwork : ITrainableNetwork
{
    /// <summary>
    /// Saves the network (current weights, eval semantics, dynamic batch) to <paramref name="onnxPath"/> with input
    /// <paramref name="inputName"/> taking [N, 3, H, W] pixels in [0,1], <paramref name="normalization"/> applied inside the
    /// graph, and output <paramref name="logitsName"/>.
    /// </summary>
    void Export(string onnxPath, string inputName, string logitsName, Normalization normalization);
}
