using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Onnx;

namespace MLPipelines.Training;

/// <summary>
/// Builds and saves the model.zip that apps embed: image path in, <c>PredictedLabel</c> and <c>Score</c> out, made only of stock
/// ML.NET transforms (LoadImages, ResizeImages, ExtractPixels, ApplyOnnxModel, normalizer, trainer, key-to-value).
/// </summary>
public static class ImageClassifierModel
{
    /// <summary>Featurizer pipeline (image path → features) followed by <paramref name="classifier"/> (features → prediction).</summary>
    public static ITransformer Compose(MLContext mlContext, FeaturizerModel featurizer, ITransformer classifier)
    {
        // Fitting these transforms reads no rows (LoadImages, ResizeImages and ExtractPixels have nothing to learn, and
        // ApplyOnnxModel only loads the graph), so an empty view with the input schema is enough.
        var featurizerTransformer = mlContext.Transforms.FeaturizeImages(featurizer).Fit(EmptyInput(mlContext));
        return new TransformerChain<ITransformer>(featurizerTransformer, classifier);
    }

    /// <summary>Saves <paramref name="model"/> with the input schema (one text column <c>ImagePath</c>), atomically.</summary>
    public static void Save(MLContext mlContext, ITransformer model, string path) =>
        AtomicFile.WriteStream(path, stream => mlContext.Model.Save(model, EmptyInput(mlContext).Schema, stream));

    /// <summary>An empty data view with the model.zip input schema.</summary>
    public static IDataView EmptyInput(MLContext mlContext) =>
        mlContext.Data.LoadFromEnumerable(Array.Empty<ImageInput>());

    /// <summary>The input row of every MLPipelines model.zip.</summary>
    public sealed class ImageInput
    {
        /// <summary>Full path of the image file.</summary>
        public string ImagePath { get; set; } = "";
    }
}
