namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision's RandomRotation: an angle uniform in <see cref="Degrees"/>, counter-clockwise positive, about the centre,
/// size kept (expand=False), nearest interpolation and fill 0 by default.
/// </summary>
public sealed class RandomRotation(ValueRange degrees, Interpolation interpolation = Interpolation.Nearest, float fill = 0f) : IImageAugmentation
{
    /// <summary>Angle range in degrees.</summary>
    public ValueRange Degrees { get; } = degrees;

    /// <summary>Interpolation; torchvision's default is nearest.</summary>
    public Interpolation Interpolation { get; } = interpolation;

    /// <summary>Value of uncovered pixels.</summary>
    public float Fill { get; } = fill;

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random) =>
        AffineWarp.Rotate(image, Degrees.Draw(random), Interpolation, Fill);

    /// <inheritdoc/>
    public string Describe() => SpecFormat.Call("rotate",
        ("degrees", Degrees.ToString()), ("interpolation", SpecFormat.Word(Interpolation)), ("fill", SpecFormat.Number(Fill)));
}
