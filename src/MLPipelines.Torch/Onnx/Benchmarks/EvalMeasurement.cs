namespace MLPipelines.Torch.Onnx.Benchmarks;

/// <summary>Inference timings and resident memory of one runtime on one network.</summary>
/// <param name="Runtime">"TorchSharp" (the ONNX executor in eval mode under no_grad) or "ONNX Runtime".</param>
/// <param name="Batch">Images per forward pass.</param>
/// <param name="Batches">Timed forward passes (after the warm-up passes).</param>
/// <param name="MedianBatchSeconds">Median wall time of a forward pass.</param>
/// <param name="ImagesPerSecond">Batch / median time.</param>
/// <param name="StartResidentBytes">Process RSS when the benchmark started (after a GC and malloc_trim), before the network was loaded.</param>
/// <param name="PeakResidentBytes">The process's peak RSS during the benchmark (from its start where the peak cannot be reset).</param>
public sealed record EvalMeasurement(string Runtime, int Batch, int Batches, double MedianBatchSeconds, double ImagesPerSecond,
    long StartResidentBytes, long PeakResidentBytes);
