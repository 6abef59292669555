using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Catalog;
using MLPipelines.Evaluation;
using MLPipelines.Training;

namespace MLPipelines.Scoring;

/// <summary>
/// Scores images with a pretrained ONNX classifier through a stock ML.NET pipeline (LoadImages → ResizeImages → ExtractPixels →
/// ApplyOnnxModel → prediction head), honouring the catalog's conventions (logits or probabilities, background class, channel
/// order, centre crop, mean/std). The same pipeline saves as a model.zip with the standard <c>Score</c> and <c>PredictedLabel</c>.
/// </summary>
public sealed class ImageClassifier
{
    private readonly MLContext _mlContext;

    private ImageClassifier(MLContext mlContext, ModelCard card, ITransformer model, IReadOnlyList<string> classes)
    {
        _mlContext = mlContext;
        Card = card;
        Model = model;
        Classes = classes;
    }

    /// <summary>The catalog entry of the model.</summary>
    public ModelCard Card { get; }

    /// <summary>The ML.NET pipeline: <c>ImagePath</c> in; <c>Score</c> (slot names: classes) and <c>PredictedLabel</c> out.</summary>
    public ITransformer Model { get; }

    /// <summary>Class name of every output index.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>A classifier for catalog model <paramref name="card"/> whose ONNX file is <paramref name="modelPath"/>.</summary>
    public static ImageClassifier Create(ModelCard card, string modelPath, string labelFile, string cacheRoot, MLContext? mlContext = null)
    {
        if (card.Labels is null)
            throw new CatalogException($"model '{card.Name}' has no class names (no 'labels' in its catalog entry); it cannot classify");
        mlContext ??= new MLContext(seed: 1);
        var classes = ClassNames.Read(labelFile, card.Labels, card.ClassifierOutput.ValuesPerExample);
        string graph = ClassifierGraph.Build(card, modelPath, cacheRoot);
        var scoring = mlContext.Transforms.LoadImagePixels(card.Preprocessing)
            .Append(mlContext.Transforms.ApplyOnnxModel([ColumnNames.Logits], [ColumnNames.Pixels], graph))
            .Fit(ImageClassifierModel.EmptyInput(mlContext));
        var model = new TransformerChain<ITransformer>(scoring, LogitsPredictionHead.Create(mlContext, classes));
        return new ImageClassifier(mlContext, card, model, classes);
    }

    /// <summary>The top-<paramref name="k"/> classes of each image, with timing.</summary>
    public ClassificationRun Classify(IReadOnlyList<string> imagePaths, int k = 5)
    {
        var stopwatch = Stopwatch.StartNew();
        var input = _mlContext.Data.LoadFromEnumerable(imagePaths.Select(p => new ImageClassifierModel.ImageInput { ImagePath = p }).ToList());
        var scores = Model.Transform(input).GetColumn<float[]>(ColumnNames.Score).ToList();
        var predictions = imagePaths.Select((path, i) => new ImagePrediction(path,
            Reports.MisclassifiedExamples.TopK(scores[i], k).Select(c => new ClassProbability(c, Classes[c], scores[i][c])).ToList())).ToList();
        return new ClassificationRun(predictions, scores, stopwatch.Elapsed);
    }

    /// <summary>Saves the pipeline as a model.zip (input schema: <c>ImagePath</c>).</summary>
    public void Save(string modelZip) => ImageClassifierModel.Save(_mlContext, Model, modelZip);
}

/// <summary>Predictions for a list of images and how long scoring took.</summary>
/// <param name="Predictions">Top-k per image, in input order.</param>
/// <param name="Probabilities">Every class probability per image.</param>
/// <param name="Elapsed">Wall time of decoding, resizing and ONNX Runtime, through ML.NET.</param>
public sealed record ClassificationRun(IReadOnlyList<ImagePrediction> Predictions, IReadOnlyList<float[]> Probabilities, TimeSpan Elapsed)
{
    /// <summary>Images scored per second.</summary>
    public double ImagesPerSecond => Predictions.Count / Elapsed.TotalSeconds;

    /// <summary>Fraction of images whose top-1 class equals <paramref name="other"/>'s top-1 class (same class names required).</summary>
    public double Top1Agreement(ClassificationRun other) =>
        Predictions.Zip(other.Predictions).Count(p => p.First.Best.Name == p.Second.Best.Name) / (double)Predictions.Count;

    /// <summary>Arg-max index of each image.</summary>
    public int[] Top1Indices() => Probabilities.Select(p => ClassificationMetrics.ArgMax(p)).ToArray();
}
