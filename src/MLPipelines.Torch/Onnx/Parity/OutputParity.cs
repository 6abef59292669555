namespace MLPipelines.Torch.Onnx.Parity;

/// <summary>How far one output of the TorchSharp executor is from ONNX Runtime's on the same input.</summary>
/// <param name="Name">The graph output.</param>
/// <param name="MaxAbsDifference">max |torch − onnxruntime| over all values.</param>
/// <param name="MaxAbsValue">max |onnxruntime| over all values (the scale the difference is relative to).</param>
public sealed record OutputParity(string Name, double MaxAbsDifference, double MaxAbsValue)
{
    /// <summary>Max abs difference / max abs value (0 when both are 0).</summary>
    public double Relative => MaxAbsValue == 0 ? MaxAbsDifference : MaxAbsDifference / MaxAbsValue;
}
