namespace MLPipelines.Onnx;

/// <summary>One row of a <see cref="ModelSummary"/>: a graph node, its output shape and the initializers it brings.</summary>
/// <param name="Name">The node's name, or its first output's name when the node has none.</param>
/// <param name="OpType">The ONNX operator, e.g. <c>Conv</c>.</param>
/// <param name="OutputShape">The output shape, e.g. <c>[N, 64, 112, 112]</c> (N where the dimension follows the batch; several outputs separated by "; ").</param>
/// <param name="Parameters">Trainable values of the initializers this node reads first.</param>
/// <param name="Buffers">BatchNormalization running statistics this node reads first.</param>
/// <param name="Tensors">The initializers counted in this row, e.g. <c>weight 64×3×3×3, bias 64</c>.</param>
public sealed record ModelSummaryLayer(string Name, string OpType, string OutputShape, long Parameters, long Buffers, string Tensors);
