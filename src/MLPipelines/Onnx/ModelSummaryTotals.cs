namespace MLPipelines.Onnx;

/// <summary>
/// What an ONNX model's initializers hold, counted in values (each initializer once, however many nodes read it).
/// </summary>
/// <param name="Parameters">
/// Trainable parameters: floating-point initializers read as weights, biases, BN scale and shift, or any other learnable
/// operand. The number PyTorch reports as <c>sum(p.numel() for p in model.parameters())</c> and Keras as trainable params.
/// </param>
/// <param name="Buffers">BatchNormalization running mean and variance: state, not trained by gradient descent.</param>
/// <param name="Constants">
/// Everything else: integer initializers (shapes, axes, indices, quantized weights) and float operands that set an op's
/// behaviour rather than learn (Clip bounds, Dropout ratio, Pad values, Resize scales, quantization scales).
/// </param>
/// <param name="ParameterTensors">Number of initializers counted in <paramref name="Parameters"/>.</param>
/// <param name="BufferTensors">Number of initializers counted in <paramref name="Buffers"/>.</param>
public sealed record ModelSummaryTotals(long Parameters, long Buffers, long Constants, int ParameterTensors, int BufferTensors);
