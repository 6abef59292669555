namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision v2's RandomAffine: angle uniform in <see cref="Degrees"/>; shift uniform in ±translate·size, rounded to whole
/// pixels; scale uniform in <see cref="Scale"/>; shear along x (and y when <see cref="ShearY"/> is set) uniform in degrees;
/// applied with <see cref="AffineWarp.Affine"/> about the image centre. Draw order as torchvision: angle, dx, dy, scale, shear x, shear y.
/// </summary>
public sealed class RandomAffine : IImageAugmentation
{
    /// <summary>Creates the transform; defaults are torchvision's (nearest interpolation, fill 0).</summary>
    public RandomAffine(ValueRange degrees, (double X, double Y) translate = default, ValueRange? scale = null, ValueRange? shearX = null,
        ValueRange? shearY = null, Interpolation interpolation = Interpolation.Nearest, float fill = 0f)
    {
        if (translate.X is < 0 or > 1 || translate.Y is < 0 or > 1)
            throw new ArgumentException($"affine translate must be fractions in [0, 1], got ({translate.X}, {translate.Y})");
        if (scale is { Min: <= 0 }) throw new ArgumentException($"affine scale must be positive, got {scale}");
        Degrees = degrees;
        Translate = translate;
        Scale = scale;
        ShearX = shearX;
        ShearY = shearY;
        Interpolation = interpolation;
        Fill = fill;
    }

    /// <summary>Rotation range in degrees (clockwise positive, as torchvision's F.affine; the range is usually symmetric).</summary>
    public ValueRange Degrees { get; }

    /// <summary>Largest shift as fractions of width and height.</summary>
    public (double X, double Y) Translate { get; }

    /// <summary>Scale range; null keeps scale 1 without a draw.</summary>
    public ValueRange? Scale { get; }

    /// <summary>Shear along x in degrees; null for none.</summary>
    public ValueRange? ShearX { get; }

    /// <summary>Shear along y in degrees; null for none.</summary>
    public ValueRange? ShearY { get; }

    /// <summary>Interpolation; torchvision's default is nearest.</summary>
    public Interpolation Interpolation { get; }

    /// <summary>Value of uncovered pixels.</summary>
    public float Fill { get; }

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random)
    {
        double angle = Degrees.Draw(random);
        double dx = 0, dy = 0;
        if (Translate != default)
        {
            double maxDx = Translate.X * image.Width, maxDy = Translate.Y * image.Height;
            dx = Math.Round(random.Uniform(-maxDx, maxDx));
            dy = Math.Round(random.Uniform(-maxDy, maxDy));
        }
        double scale = Scale?.Draw(random) ?? 1.0;
        double shearX = ShearX?.Draw(random) ?? 0, shearY = ShearY?.Draw(random) ?? 0;
        return AffineWarp.Affine(image, angle, (dx, dy), scale, (shearX, shearY), Interpolation, Fill);
    }

    /// <inheritdoc/>
    public string Describe()
    {
        var arguments = new List<(string, string)> { ("degrees", Degrees.ToString()) };
        if (Translate != default) arguments.Add(("translate", SpecFormat.List(Translate.X, Translate.Y)));
        if (Scale is { } s) arguments.Add(("scale", s.ToString()));
        if (ShearX is { } x)
            arguments.Add(("shear", ShearY is { } y ? SpecFormat.List(x.Min, x.Max, y.Min, y.Max) : x.ToString()));
        arguments.Add(("interpolation", SpecFormat.Word(Interpolation)));
        arguments.Add(("fill", SpecFormat.Number(Fill)));
        return SpecFormat.Call("affine", [.. arguments]);
    }
}
