namespace MLPipelines.Torch.Onnx.Parity;

/// <summary>The executor-vs-ONNX Runtime comparison of one model on a batch of images.</summary>
/// <param name="Model">The model's name or file.</param>
/// <param name="Images">How many images were compared.</param>
/// <param name="Outputs">Per graph output, the differences.</param>
/// <param name="OpCounts">Op type → number of nodes in the graph (the op coverage).</param>
public sealed record ParityReport(string Model, int Images, IReadOnlyList<OutputParity> Outputs, IReadOnlyDictionary<string, int> OpCounts)
{
    /// <summary>The largest relative difference over all outputs.</summary>
    public double MaxRelative => Outputs.Max(o => o.Relative);

    /// <summary>Whether every output is within <paramref name="tolerance"/> relative.</summary>
    public bool Within(double tolerance) => MaxRelative <= tolerance;
}
