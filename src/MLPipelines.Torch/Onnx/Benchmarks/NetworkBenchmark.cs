namespace MLPipelines.Torch.Onnx.Benchmarks;

/// <summary>Everything <c>models bench</c> measured on one network.</summary>
/// <param name="Model">The catalog name, file name or builtin:&lt;architecture&gt;.</param>
/// <param name="ImageShape">One input without the batch, e.g. [3, 224, 224].</param>
/// <param name="EvalOutput">The graph output the inference benchmarks compute.</param>
/// <param name="Training">Training steps through the executor (with a new head), or null when not measured.</param>
/// <param name="HandWrittenName">The hand-written TorchSharp network stepped in turn with the executor, if any.</param>
/// <param name="HandWritten">Its training steps, or null.</param>
/// <param name="Eval">Inference through TorchSharp and ONNX Runtime (empty when not measured).</param>
public sealed record NetworkBenchmark(string Model, IReadOnlyList<long> ImageShape, string EvalOutput, TrainStepMeasurement? Training,
    string? HandWrittenName, TrainStepMeasurement? HandWritten, IReadOnlyList<EvalMeasurement> Eval);
