using MLPipelines.Architectures;
using MLPipelines.Catalog;
using MLPipelines.Onnx;
using MLPipelines.Torch.Onnx;

namespace MLPipelines.Torch.Training;

/// <summary>
/// Builds the network of a training run through the ONNX bridge: a seeded built-in architecture (Scratch, normalized with
/// the training images' statistics), a pretrained backbone cut at a tensor plus a new linear head (normalized as the
/// backbone's catalog card says), or a saved classifier to continue (its normalization is already in its graph).
/// </summary>
public static class TrainerNetworks
{
    /// <summary>Where catalog backbones are looked up. Default: the standard search path.</summary>
    public static AssetSearchOptions Assets { get; set; } = new();

    /// <summary>The <see cref="NetworkBuilder"/> the trainer uses by default.</summary>
    public static PreparedNetwork Build(ImageClassificationTrainer.Options options, int classCount, DecodedImageSet train)
    {
        var moduleOptions = new OnnxModuleOptions
        {
            FrozenBatchNormUsesRunningStatistics = true,
            BatchNormAlwaysUsesRunningStatistics = options.FreezeBatchNormStatistics,
        };
        if (options.ContinueFrom is string saved)
        {
            var model = SavedClassifier.LoadOnnx(saved);
            var continued = OnnxModule.FromModel(model, moduleOptions);
            var logits = continued.OutputName;
            return new PreparedNetwork(new OnnxNetwork(continued), new Normalization([0, 0, 0], [1, 1, 1]),
                $"continued from {Path.GetFileName(saved)} (output '{logits}')");
        }
        if (options.Mode == TrainingMode.Scratch)
        {
            var definition = ArchitectureRegistry.Get(options.Architecture);
            var architecture = definition.Options(options.ArchitectureSettings) with { Classes = classCount, InputSize = options.ImageSize, Seed = options.Seed };
            var module = OnnxModule.FromModel(ArchitectureRegistry.Build(options.Architecture, architecture), moduleOptions);
            var network = module.OutputName == "logits" ? module : CutAndDispose(module, "logits");
            var (mean, std) = train.ChannelStatistics();
            return new PreparedNetwork(new OnnxNetwork(network), new Normalization(mean, std),
                $"{definition.Name} from scratch ({architecture.Describe()})");
        }
        var (card, path) = ResolveBackbone(options.Backbone);
        using var backbone = OnnxModule.FromModel(WithInputSize(OnnxModelFile.Load(path), options.ImageSize, path), moduleOptions);
        using var cut = backbone.CutAt(options.CutAt);
        var withHead = cut.WithClassificationHead(classCount, options.HeadDropout, options.Seed);
        var preprocessing = card?.Preprocessing ?? new PreprocessingSpec();
        return new PreparedNetwork(new OnnxNetwork(withHead), new Normalization(preprocessing.Mean, preprocessing.Std),
            $"{card?.Name ?? Path.GetFileName(path)} cut at '{options.CutAt}' + linear head ({classCount} classes)");
    }

    /// <summary>
    /// The model with its input's height and width set to <paramref name="size"/>: convolutional backbones with global pooling
    /// run at any size, and the bridge and ML.NET check the declared shape.
    /// </summary>
    public static MLPipelines.Onnx.Proto.ModelProto WithInputSize(MLPipelines.Onnx.Proto.ModelProto model, int size, string origin)
    {
        var input = OnnxGraphEditor.DataInputs(model).FirstOrDefault()
            ?? throw new ArgumentException($"{origin}: the graph has no data input");
        var dims = input.Type?.TensorType?.Shape?.Dim;
        if (dims is null || dims.Count != 4)
            throw new ArgumentException($"{origin}: input '{input.Name}' must be [N, 3, H, W] to train on images");
        var resized = model.Clone();
        var resizedDims = OnnxGraphEditor.DataInputs(resized)[0].Type.TensorType.Shape.Dim;
        foreach (int axis in new[] { 2, 3 })
            resizedDims[axis] = new MLPipelines.Onnx.Proto.TensorShapeProto.Types.Dimension { DimValue = size };
        return resized;
    }

    private static OnnxModule CutAndDispose(OnnxModule module, string tensor)
    {
        using (module) return module.CutAt(tensor);
    }

    /// <summary>A catalog model's card and file, or (null, path) for an .onnx file.</summary>
    public static (ModelCard? Card, string Path) ResolveBackbone(string nameOrPath)
    {
        if (nameOrPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            if (!File.Exists(nameOrPath)) throw new FileNotFoundException($"backbone file {nameOrPath} does not exist", nameOrPath);
            return (null, nameOrPath);
        }
        var card = ModelCatalog.BuiltIn.Get(nameOrPath);
        return (card, new AssetLocator(Assets).LocateModel(card));
    }
}
