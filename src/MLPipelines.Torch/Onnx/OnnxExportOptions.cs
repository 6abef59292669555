namespace MLPipelines.Torch.Onnx;

/// <summary>What <see cref="OnnxModule.ToModel"/> writes: tensor names, optional preprocessing and softmax, the opset.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>Name of the exported graph input.</summary>
    public string InputName { get; set; } = "input";

    /// <summary>Name under which the module's output (<see cref="OnnxModule.OutputName"/>) is exported.</summary>
    public string LogitsName { get; set; } = "logits";

    /// <summary>When set, the graph also outputs the softmax of the logits (over axis 1) under this name.</summary>
    public string? ProbabilitiesName { get; set; }

    /// <summary>
    /// When set (together with <see cref="Std"/>), the exported input takes pixels and the graph computes
    /// (x·<see cref="Scale"/> − mean) / std per channel before the network.
    /// </summary>
    public IReadOnlyList<float>? Mean { get; set; }

    /// <summary>Per-channel standard deviations for the normalization; see <see cref="Mean"/>.</summary>
    public IReadOnlyList<float>? Std { get; set; }

    /// <summary>Pixel scale applied before mean/std when <see cref="Mean"/> is set (1/255: the input takes 0..255 pixels).</summary>
    public float Scale { get; set; } = 1f / 255f;

    /// <summary>The default-domain opset of the exported model (13 to 21; nodes are rewritten to that opset's forms).</summary>
    public long Opset { get; set; } = 13;
}
