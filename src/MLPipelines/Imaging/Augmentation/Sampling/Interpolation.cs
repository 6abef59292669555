namespace MLPipelines.Imaging.Augmentation;

/// <summary>How a geometric transform reads the source image between pixel centres (torchvision's InterpolationMode).</summary>
public enum Interpolation
{
    /// <summary>The nearest source pixel (round half to even, as <c>grid_sample(mode="nearest")</c>). torchvision's default for affine and rotation.</summary>
    Nearest,

    /// <summary>Bilinear interpolation of the four nearest pixels. torchvision's default for perspective.</summary>
    Bilinear,
}
