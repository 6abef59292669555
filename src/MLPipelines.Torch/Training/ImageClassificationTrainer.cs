using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Catalog;
using MLPipelines.Data;
using MLPipelines.Training;

namespace MLPipelines.Torch.Training;

/// <summary>
/// ML.NET estimator that trains an image classifier with TorchSharp (scratch, head only, full or gradual fine-tuning) and
/// returns a model made only of stock ML.NET transforms and the exported ONNX network, so the saved model.zip loads in any
/// app that references Microsoft.ML, ImageAnalytics and OnnxTransformer.
/// </summary>
public sealed partial class ImageClassificationTrainer : IEstimator<ITransformer>
{
    private readonly MLContext _mlContext;
    private readonly Options _options;
    private readonly NetworkBuilder _networkBuilder;

    /// <summary>A trainer with <paramref name="options"/>; <paramref name="networkBuilder"/> overrides how the network is built.</summary>
    public ImageClassificationTrainer(MLContext mlContext, Options options, NetworkBuilder? networkBuilder = null)
    {
        _mlContext = mlContext;
        _options = options;
        _networkBuilder = networkBuilder ?? TrainerNetworks.Build;
    }

    /// <summary>Trains on <paramref name="input"/> (text columns image path and label) and returns the scoring model.</summary>
    public ITransformer Fit(IDataView input)
    {
        var fit = FitDetailed(input);
        fit.Network.Dispose();
        return fit.Model;
    }

    /// <summary>Trains and returns the model with its training history and the trained network.</summary>
    public ImageClassificationFit FitDetailed(IDataView input)
    {
        _options.Validate();
        var rows = LabeledImageColumns.Read(input, _options.ImagePathColumnName, _options.LabelColumnName);
        IReadOnlyList<LabeledImage> train, validation;
        if (_options.ValidationData is { } validationData)
            (train, validation) = (rows, LabeledImageColumns.Read(validationData, _options.ImagePathColumnName, _options.LabelColumnName));
        else if (_options.ValidationFraction > 0)
            (validation, train) = StratifiedSplit.Take(rows, r => r.Label, r => r.Path, _options.ValidationFraction, _options.Seed + 1);
        else
            (train, validation) = (rows, []);
        var classes = rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        if (classes.Count < 2) throw new ArgumentException($"image classification trainer: the training data has {classes.Count} class(es); at least 2 are needed");
        var unknown = validation.Select(v => v.Label).FirstOrDefault(l => !classes.Contains(l));
        if (unknown != null) throw new ArgumentException($"image classification trainer: validation label '{unknown}' does not occur in the training data");
        return Fit(train, validation, classes);
    }

    /// <summary>Trains on explicit training and validation images whose labels are among <paramref name="classes"/>.</summary>
    public ImageClassificationFit Fit(IReadOnlyList<LabeledImage> train, IReadOnlyList<LabeledImage> validation, IReadOnlyList<string> classes)
    {
        _options.Validate();
        var trainImages = Decode(train, classes, "decode training images");
        var validationImages = validation.Count > 0 ? Decode(validation, classes, "decode validation images") : null;
        return Fit(trainImages, validationImages, classes);
    }

    /// <summary>Decodes labelled images at <see cref="Options.ImageSize"/>, as <see cref="Fit(IReadOnlyList{LabeledImage}, IReadOnlyList{LabeledImage}, IReadOnlyList{string})"/> does.</summary>
    public DecodedImageSet Decode(IReadOnlyList<LabeledImage> images, IReadOnlyList<string> classes, string task = "decode images") =>
        DecodedImageSet.Decode(images, classes, _options.ImageSize, _options.Threads, _options.Progress, task);

    /// <summary>
    /// Trains on images decoded once (<see cref="Decode"/>), e.g. to run several learning rates on the same images without
    /// decoding them again; a head-only run then also reuses the frozen backbone's outputs (see <see cref="BackboneOutputCache"/>).
    /// </summary>
    public ImageClassificationFit Fit(DecodedImageSet trainImages, DecodedImageSet? validationImages, IReadOnlyList<string> classes)
    {
        _options.Validate();
        foreach (var set in new[] { trainImages, validationImages }.OfType<DecodedImageSet>())
            if (set.Size != _options.ImageSize)
                throw new ArgumentException($"image classification trainer: the images were decoded at {set.Size} px, but ImageSize is {_options.ImageSize}");
        var prepared = _networkBuilder(_options, classes.Count, trainImages);
        // With a model folder, the first layer's filters are drawn before and after training (the course's "what did it learn").
        if (_options.ModelFolder is string modelFolder && prepared.Network is OnnxNetwork bridged)
            SaveFilters(bridged.Onnx.ToModel(), Path.Combine(Directory.CreateDirectory(modelFolder).FullName, "filters-before.png"));
        var training = new NetworkTrainer(_options).Train(prepared.Network, trainImages, validationImages, classes.Count, prepared.Normalization);
        string folder = _options.ModelFolder ?? TrainerScratchFolder.Create();
        Directory.CreateDirectory(folder);
        string onnxPath = Path.Combine(folder, "network.onnx");
        prepared.Network.Export(onnxPath, ColumnNames.Pixels, ColumnNames.Logits, prepared.Normalization);
        if (_options.ModelFolder is not null && prepared.Network is OnnxNetwork)
            SaveFilters(MLPipelines.Onnx.OnnxModelFile.Load(onnxPath), Path.Combine(folder, "filters-after.png"));
        var model = ScoringModel(_mlContext, onnxPath, classes, _options.ImageSize, _options.ImagePathColumnName);
        return new ImageClassificationFit(model, onnxPath, classes, training, prepared.Network, validationImages, prepared.Description);
    }

    private static void SaveFilters(MLPipelines.Onnx.Proto.ModelProto model, string pngPath) =>
        Visualization.FilterGrid.Create(Visualization.FirstConvolution.Find(model)).Save(pngPath);

    /// <summary>
    /// The stock ML.NET scoring chain for an exported network: LoadImages → ResizeImages (IsoCrop, as training decoded) →
    /// ExtractPixels ([0,1] planar RGB) → ApplyOnnxModel (Pixels → Logits) → <see cref="LogitsPredictionHead"/>.
    /// </summary>
    public static ITransformer ScoringModel(MLContext mlContext, string onnxPath, IReadOnlyList<string> classes, int imageSize,
        string imagePathColumn = ColumnNames.ImagePath)
    {
        var preprocessing = new PreprocessingSpec { Size = [imageSize, imageSize] };
        var network = mlContext.Transforms.LoadImagePixels(preprocessing, ColumnNames.Pixels, imagePathColumn)
            .Append(mlContext.Transforms.ApplyOnnxModel([ColumnNames.Logits], [ColumnNames.Pixels], onnxPath))
            .Fit(ImageClassifierModel.EmptyInput(mlContext));
        return new TransformerChain<ITransformer>(network, LogitsPredictionHead.Create(mlContext, classes));
    }

    /// <summary>
    /// The input columns plus those of the scoring model: <c>Image</c>, <c>ResizedImage</c>, <c>Pixels</c>, <c>Score</c>
    /// (class probabilities) and <c>PredictedLabel</c> (class name).
    /// </summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        foreach (var name in new[] { _options.ImagePathColumnName, _options.LabelColumnName })
            if (!inputSchema.Any(c => c.Name == name))
                throw new ArgumentException($"image classification trainer: the input has no column '{name}'");
        // ML.NET builds schema shapes only inside its own assemblies, so the shape comes from a stock chain with the same
        // output columns: the image transforms, then a multiclass trainer (Score, PredictedLabel as a key) and key-to-value.
        const string key = "__LabelKey";
        var preprocessing = new PreprocessingSpec { Size = [_options.ImageSize, _options.ImageSize] };
        var shape = _mlContext.Transforms.Conversion.MapValueToKey(key, _options.LabelColumnName)
            .Append(_mlContext.Transforms.LoadImagePixels(preprocessing, ColumnNames.Pixels, _options.ImagePathColumnName))
            .Append(_mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy(key, ColumnNames.Pixels))
            .Append(_mlContext.Transforms.Conversion.MapKeyToValue(ColumnNames.PredictedLabel))
            .GetOutputSchema(inputSchema);
        return new SchemaShape(shape.Where(c => c.Name != key));
    }
}
