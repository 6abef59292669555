namespace MLPipelines.Catalog;

/// <summary>A named tensor of a model: its name in the ONNX graph and its shape (-1 for a dynamic dimension such as the batch).</summary>
public sealed class TensorSpec
{
    /// <summary>Tensor name in the ONNX graph.</summary>
    public string Name { get; set; } = "";

    /// <summary>Shape with -1 for dynamic dimensions, e.g. [-1, 3, 224, 224].</summary>
    public long[] Shape { get; set; } = [];

    /// <summary>For outputs: what the tensor holds.</summary>
    public TensorKind Kind { get; set; } = TensorKind.Features;

    /// <summary>Number of values per example: the product of the non-batch dimensions.</summary>
    public int ValuesPerExample => (int)Shape.Skip(1).Aggregate(1L, (product, dim) => product * Math.Max(dim, 1));

    public override string ToString() => $"{Name}[{string.Join(",", Shape.Select(d => d < 0 ? "N" : d.ToString()))}]";
}

/// <summary>What an output tensor holds.</summary>
public enum TensorKind
{
    /// <summary>A feature vector (e.g. pooled activations before the classifier).</summary>
    Features,

    /// <summary>Unnormalized class scores; softmax gives probabilities.</summary>
    Logits,

    /// <summary>Class probabilities that already sum to 1.</summary>
    Probabilities,
}
