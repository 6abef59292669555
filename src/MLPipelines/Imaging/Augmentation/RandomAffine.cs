namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// Random rotation, translation, scale and shear about the image centre, bilinear, filling uncovered pixels with
/// <see cref="Fill"/> (torchvision's RandomAffine; positive angles turn counter-clockwise).
/// </summary>
public sealed class RandomAffine(double degrees, double translate = 0, double minScale = 1, double maxScale = 1, double shear = 0, float fill = 0f)
    : IImageAugmentation
{
    /// <summary>Rotation drawn uniformly from [−degrees, degrees].</summary>
    public double Degrees { get; } = degrees;

    /// <summary>Maximum shift as a fraction of width/height.</summary>
    public double Translate { get; } = translate;

    public double MinScale { get; } = minScale;
    public double MaxScale { get; } = maxScale;

    /// <summary>Shear along x in degrees, drawn from [−shear, shear].</summary>
    public double Shear { get; } = shear;

    public float Fill { get; } = fill;

    public ImageTensor Apply(ImageTensor image, Random random)
    {
        double angle = Uniform(random, -Degrees, Degrees);
        double maxDx = Math.Round(Translate * image.Width), maxDy = Math.Round(Translate * image.Height);
        double dx = Math.Round(Uniform(random, -maxDx, maxDx)), dy = Math.Round(Uniform(random, -maxDy, maxDy));
        double scale = Uniform(random, MinScale, MaxScale);
        double shear = Uniform(random, -Shear, Shear);
        return Transform(image, angle, dx, dy, scale, shear, Fill);
    }

    public string Describe() =>
        $"Affine(degrees={Degrees:g}, translate={Translate:g}, scale=[{MinScale:g},{MaxScale:g}], shear={Shear:g})";

    /// <summary>
    /// Applies one affine transform: output = T(c + t) · R(angle) · Shear · S(scale) · T(−c) applied to the input, as
    /// torchvision's <c>F.affine</c> with centre c = (W/2, H/2).
    /// </summary>
    public static ImageTensor Transform(ImageTensor image, double angleDegrees, double dx, double dy, double scale, double shearDegrees, float fill = 0f)
    {
        // Forward matrix in image coordinates (y down). A counter-clockwise turn on screen is a negative angle in y-down math.
        double a = -angleDegrees * Math.PI / 180, s = shearDegrees * Math.PI / 180;
        // M = R(a) · Sh(s) · scale, with Sh = [[1, -tan s], [0, 1]] as torchvision (x-shear).
        double m00 = scale * Math.Cos(a), m01 = scale * (-Math.Cos(a) * Math.Tan(s) - Math.Sin(a));
        double m10 = scale * Math.Sin(a), m11 = scale * (-Math.Sin(a) * Math.Tan(s) + Math.Cos(a));
        double det = m00 * m11 - m01 * m10;
        double i00 = m11 / det, i01 = -m01 / det, i10 = -m10 / det, i11 = m00 / det;
        double cx = image.Width * 0.5, cy = image.Height * 0.5;
        return BilinearSampler.Warp(image, image.Width, image.Height, (x, y) =>
        {
            double px = x - cx - dx, py = y - cy - dy;
            return ((float)(i00 * px + i01 * py + cx), (float)(i10 * px + i11 * py + cy));
        }, fill);
    }

    internal static double Uniform(Random random, double low, double high) => low + (high - low) * random.NextDouble();
}
