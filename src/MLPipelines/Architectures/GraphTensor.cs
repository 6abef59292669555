namespace MLPipelines.Architectures;

/// <summary>
/// A tensor of a graph under construction: its ONNX name and its shape per example (the batch dimension, which is symbolic
/// in the built graph, is left out): [C, H, W] for feature maps, [F] for vectors.
/// </summary>
public sealed record GraphTensor(string Name, IReadOnlyList<long> Shape)
{
    /// <summary>Channels of a [C, H, W] feature map (or the length of a vector).</summary>
    public long Channels => Shape[0];

    /// <summary>Height of a [C, H, W] feature map.</summary>
    public long Height => Shape.Count == 3 ? Shape[1] : throw new InvalidOperationException($"tensor '{Name}' [{ShapeText}] is not a [C,H,W] feature map");

    /// <summary>Width of a [C, H, W] feature map.</summary>
    public long Width => Shape.Count == 3 ? Shape[2] : throw new InvalidOperationException($"tensor '{Name}' [{ShapeText}] is not a [C,H,W] feature map");

    /// <summary>Values per example (the product of <see cref="Shape"/>).</summary>
    public long ElementsPerExample => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The shape as text, e.g. <c>64×56×56</c>.</summary>
    public string ShapeText => string.Join("×", Shape);

    public override string ToString() => $"{Name} [N×{ShapeText}]";
}
