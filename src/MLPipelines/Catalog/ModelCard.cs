namespace MLPipelines.Catalog;

/// <summary>
/// A model catalog entry (one YAML file in <c>models/</c>): what the file is, where to get it, how to feed it and how to read it.
/// </summary>
public sealed class ModelCard : ICatalogFile
{
    /// <summary>Catalog name, e.g. <c>mobilenetv2-1.0-bn-features</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Human-readable architecture, e.g. MobileNetV2 1.0.</summary>
    public string Architecture { get; set; } = "";

    /// <summary>File name looked up in the model folders.</summary>
    public string File { get; set; } = "";

    /// <summary>Expected SHA-256 of the file (lower-case hex); checked before use. Empty for ad-hoc files.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>Download URL that serves exactly these bytes, if any.</summary>
    public string? Url { get; set; }

    /// <summary>Where the weights come from.</summary>
    public string Source { get; set; } = "";

    /// <summary>Licence of the weights.</summary>
    public string License { get; set; } = "";

    /// <summary>ONNX operators used (documentation).</summary>
    public string Operators { get; set; } = "";

    /// <summary>The image input tensor.</summary>
    public TensorSpec Input { get; set; } = new();

    /// <summary>Output tensors.</summary>
    public List<TensorSpec> Outputs { get; set; } = [];

    /// <summary>How images are prepared for <see cref="Input"/>.</summary>
    public PreprocessingSpec Preprocessing { get; set; } = new();

    /// <summary>Class names of the classifier output, if the model has one.</summary>
    public LabelSpec? Labels { get; set; }

    /// <summary>Path of the YAML file the card was read from (or "built-in").</summary>
    public string Origin { get; set; } = "";

    /// <summary>The feature-vector output, or an error naming the model when it has none.</summary>
    public TensorSpec FeatureOutput => Outputs.FirstOrDefault(o => o.Kind == TensorKind.Features)
        ?? throw new CatalogException($"model '{Name}' has no features output (outputs: {string.Join(", ", Outputs)})");

    /// <summary>The class-score output (logits or probabilities), or an error naming the model when it has none.</summary>
    public TensorSpec ClassifierOutput => Outputs.FirstOrDefault(o => o.Kind != TensorKind.Features)
        ?? throw new CatalogException($"model '{Name}' has no classifier output (outputs: {string.Join(", ", Outputs)})");

    /// <summary>True when the model has a feature output.</summary>
    public bool HasFeatures => Outputs.Any(o => o.Kind == TensorKind.Features);

    /// <summary>True when the model has a class-score output.</summary>
    public bool HasClassifier => Outputs.Any(o => o.Kind != TensorKind.Features);

    /// <summary>Checks required fields; throws a one-line error naming the card's file.</summary>
    public void Validate()
    {
        string owner = string.IsNullOrEmpty(Origin) ? Name : Origin;
        if (string.IsNullOrWhiteSpace(Name)) throw new CatalogException($"{owner}: 'name' is missing");
        if (string.IsNullOrWhiteSpace(File)) throw new CatalogException($"{owner}: 'file' is missing");
        if (Sha256.Length is not (0 or 64) || !Sha256.All(Uri.IsHexDigit))
            throw new CatalogException($"{owner}: 'sha256' must be 64 hex digits");
        if (string.IsNullOrWhiteSpace(Input.Name)) throw new CatalogException($"{owner}: 'input.name' is missing");
        if (Outputs.Count == 0) throw new CatalogException($"{owner}: 'outputs' is empty");
        Preprocessing.Validate(owner);
    }

    public override string ToString() => Name;
}
