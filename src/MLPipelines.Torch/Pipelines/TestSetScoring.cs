using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Training;

namespace MLPipelines.Torch.Pipelines;

/// <summary>Scores a row's test images with its saved scoring model (stock ML.NET + ONNX Runtime), as users' apps will.</summary>
internal static class TestSetScoring
{
    private const int Chunk = 128;

    /// <summary>The class probabilities of every image, in order. Scored in chunks so the progress bar moves and memory stays flat.</summary>
    public static IReadOnlyList<float[]> Probabilities(MLContext mlContext, ITransformer model, IReadOnlyList<LabeledImage> images,
        IProgress<ProgressUpdate>? progress)
    {
        var probabilities = new List<float[]>(images.Count);
        for (int start = 0; start < images.Count; start += Chunk)
        {
            var part = images.Skip(start).Take(Chunk).Select(i => new ImageClassifierModel.ImageInput { ImagePath = i.Path }).ToList();
            var scored = model.Transform(mlContext.Data.LoadFromEnumerable(part));
            probabilities.AddRange(scored.GetColumn<float[]>(ColumnNames.Score));
            progress?.Report(new ProgressUpdate("evaluate test images", start + part.Count, images.Count));
        }
        return probabilities;
    }
}
