using Microsoft.ML;

namespace MLPipelines.Torch.Training;

/// <summary>Everything a fit produced: the stock-ML.NET scoring model and how training went.</summary>
/// <param name="Model">Image path in; <c>Score</c> and <c>PredictedLabel</c> out (LoadImages → ResizeImages → ExtractPixels → ONNX → head).</param>
/// <param name="OnnxPath">The exported network (normalization inside, input <c>Pixels</c>, output <c>Logits</c>).</param>
/// <param name="Classes">Class names in score order.</param>
/// <param name="Training">Per-epoch history, best epoch, early stopping.</param>
/// <param name="Network">The trained network (best epoch's weights), for TorchSharp-side evaluation; the caller disposes it.</param>
/// <param name="Validation">The decoded validation images (empty when none), for reports.</param>
/// <param name="NetworkDescription">What was trained.</param>
public sealed record ImageClassificationFit(ITransformer Model, string OnnxPath, IReadOnlyList<string> Classes, TrainingResult Training,
    IExportableNetwork Network, DecodedImageSet? Validation, string NetworkDescription);
