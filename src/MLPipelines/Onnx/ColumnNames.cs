namespace MLPipelines;

/// <summary>
/// Column names of every MLPipelines ML.NET pipeline and model.zip. An app that embeds a model.zip feeds <see cref="ImagePath"/>
/// and reads <see cref="PredictedLabel"/> and <see cref="Score"/> (one probability per class; slot names are the class names).
/// </summary>
public static class ColumnNames
{
    /// <summary>Input: full path of an image file.</summary>
    public const string ImagePath = "ImagePath";

    /// <summary>Training input: the class name.</summary>
    public const string Label = "Label";

    /// <summary>The decoded image (ML.NET image type).</summary>
    public const string Image = "Image";

    /// <summary>The image resized to the model's input size.</summary>
    public const string ResizedImage = "ResizedImage";

    /// <summary>Planar pixels scaled to [0,1], the input of every MLPipelines ONNX graph.</summary>
    public const string Pixels = "Pixels";

    /// <summary>Feature vector produced by an ONNX featurizer.</summary>
    public const string Features = "Features";

    /// <summary>Class logits computed by an ONNX classifier graph (softmax gives <see cref="Score"/>).</summary>
    public const string Logits = "Logits";

    /// <summary>Output: the predicted class name.</summary>
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>Output: class probabilities.</summary>
    public const string Score = "Score";
}
