namespace MLPipelines.Architectures;

/// <summary>The tensor names every built-in architecture's graph has, so trainers and graph cuts can rely on them.</summary>
public static class ClassifierTensors
{
    /// <summary>The image input, [N, C, H, W] float32 with a symbolic batch dimension N.</summary>
    public const string Input = "input";

    /// <summary>
    /// The representation the classifier reads, [N, F]: the last hidden layer's output (for the CNNs, the pooled or flattened
    /// feature maps) before any dropout that belongs to the classifier. Cut the graph here for frozen features.
    /// </summary>
    public const string Features = "features";

    /// <summary>Unnormalized class scores, [N, classes].</summary>
    public const string Logits = "logits";

    /// <summary>Model metadata key holding the architecture's registry name.</summary>
    public const string ArchitectureMetadataKey = "mlpipelines.architecture";

    /// <summary>Model metadata key holding the options the model was built with (<c>name=value</c> pairs).</summary>
    public const string OptionsMetadataKey = "mlpipelines.options";
}
