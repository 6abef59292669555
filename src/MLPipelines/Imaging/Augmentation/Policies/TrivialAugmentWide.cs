namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision v2's TrivialAugmentWide (Müller &amp; Hutter, 2021): one operation chosen uniformly from 14 and a magnitude
/// bin chosen uniformly from <see cref="Bins"/> (signed operations negate it with probability ½). The "wide" magnitude
/// ranges: shear 0–0.99, translate 0–32 px, rotate 0–135°, brightness/colour/contrast/sharpness factor 1 ± 0–0.99,
/// posterize 8–2 bits, solarize threshold 1–0. Geometric operations use nearest interpolation and zero padding.
/// </summary>
public sealed class TrivialAugmentWide(int bins = 31, Interpolation interpolation = Interpolation.Nearest) : IImageAugmentation
{
    /// <summary>The operations in torchvision's order (the index drawn selects one).</summary>
    public static readonly IReadOnlyList<string> Operations =
    [
        "Identity", "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color", "Contrast", "Sharpness",
        "Posterize", "Solarize", "AutoContrast", "Equalize",
    ];

    /// <summary>Number of magnitude bins (torchvision's <c>num_magnitude_bins</c>, default 31).</summary>
    public int Bins { get; } = bins >= 2 ? bins : throw new ArgumentException($"trivial-augment bins must be at least 2, got {bins}");

    /// <summary>Interpolation of the geometric operations.</summary>
    public Interpolation Interpolation { get; } = interpolation;

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random)
    {
        string operation = Operations[random.Next(Operations.Count)];
        if (operation is "Identity" or "AutoContrast" or "Equalize")
            return Apply(image, operation, 0, Interpolation);
        int bin = random.Next(Bins);
        double magnitude = Magnitude(operation, bin);
        if (operation is not ("Posterize" or "Solarize") && random.NextDouble() <= 0.5)
            magnitude = -magnitude;
        return Apply(image, operation, magnitude, Interpolation);
    }

    /// <summary>The magnitude of <paramref name="operation"/> in bin <paramref name="bin"/> (torchvision's linspace tables).</summary>
    public double Magnitude(string operation, int bin)
    {
        double t = (double)bin / (Bins - 1);
        return operation switch
        {
            "ShearX" or "ShearY" or "Brightness" or "Color" or "Contrast" or "Sharpness" => 0.99 * t,
            "TranslateX" or "TranslateY" => 32.0 * t,
            "Rotate" => 135.0 * t,
            // (8 − bin / ((bins − 1) / 6)).round(): 8 bits down to 2.
            "Posterize" => Math.Round(8 - bin / ((Bins - 1) / 6.0)),
            "Solarize" => 1.0 - t,
            _ => 0,
        };
    }

    /// <summary>Applies one operation with a signed magnitude, as torchvision's <c>_apply_image_or_video_transform</c>.</summary>
    public static ImageTensor Apply(ImageTensor image, string operation, double magnitude, Interpolation interpolation = Interpolation.Nearest) =>
        operation switch
        {
            "Identity" => image,
            // Shears are about the top-left corner (center=[0, 0]), with angle atan(magnitude).
            "ShearX" => AffineWarp.Affine(image, 0, (0, 0), 1, (Math.Atan(magnitude) * 180 / Math.PI, 0), interpolation, null, (0, 0)),
            "ShearY" => AffineWarp.Affine(image, 0, (0, 0), 1, (0, Math.Atan(magnitude) * 180 / Math.PI), interpolation, null, (0, 0)),
            "TranslateX" => AffineWarp.Affine(image, 0, ((int)magnitude, 0), 1, (0, 0), interpolation, null),
            "TranslateY" => AffineWarp.Affine(image, 0, (0, (int)magnitude), 1, (0, 0), interpolation, null),
            "Rotate" => AffineWarp.Rotate(image, magnitude, interpolation, null),
            "Brightness" => ColorAdjustments.Brightness(image, 1 + magnitude),
            "Color" => ColorAdjustments.Saturation(image, 1 + magnitude),
            "Contrast" => ColorAdjustments.Contrast(image, 1 + magnitude),
            "Sharpness" => ColorAdjustments.Sharpness(image, 1 + magnitude),
            "Posterize" => ColorAdjustments.Posterize(image, (int)magnitude),
            "Solarize" => ColorAdjustments.Solarize(image, magnitude),
            "AutoContrast" => ColorAdjustments.AutoContrast(image),
            "Equalize" => ColorAdjustments.Equalize(image),
            _ => throw new ArgumentException($"unknown TrivialAugment operation '{operation}'; known: {string.Join(", ", Operations)}"),
        };

    /// <inheritdoc/>
    public string Describe() => SpecFormat.Call("trivial-augment", ("bins", SpecFormat.Number(Bins)), ("interpolation", SpecFormat.Word(Interpolation)));
}
