namespace MLPipelines.Imaging;

/// <summary>How an image is brought to the model's input size.</summary>
public enum ImageResizeKind
{
    /// <summary>
    /// Scale so the image covers the target and crop the centre (torchvision's Resize + CenterCrop).
    /// Uses a high-quality filter; maps to ML.NET's <c>ResizingKind.IsoCrop</c>. The default.
    /// </summary>
    CenterCrop,

    /// <summary>Scale so the whole image fits and pad with black; maps to ML.NET's <c>ResizingKind.IsoPad</c>.</summary>
    Pad,
}
