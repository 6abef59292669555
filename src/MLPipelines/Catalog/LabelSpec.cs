namespace MLPipelines.Catalog;

/// <summary>Where a classifier's class names come from.</summary>
public sealed class LabelSpec
{
    /// <summary>Label file (one class per line) resolved like a model file, e.g. imagenet-synsets.txt.</summary>
    public string File { get; set; } = "";

    /// <summary>
    /// Output index of the first line of the label file. 0 normally; 1 when the model has an extra class at index 0
    /// (e.g. TFLite's 1001-class models with "background").
    /// </summary>
    public int FirstClassIndex { get; set; }

    /// <summary>Name of the extra class(es) before <see cref="FirstClassIndex"/>.</summary>
    public string BackgroundClass { get; set; } = "background";
}
