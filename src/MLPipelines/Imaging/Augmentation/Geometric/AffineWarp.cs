namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision's functional affine transforms on tensors (<c>F.affine</c>, <c>F.rotate</c>), built on its
/// <c>_get_inverse_affine_matrix</c>. Note torchvision's two angle conventions, kept here: <see cref="Affine"/> turns
/// <b>clockwise</b> on screen for a positive angle (as <c>F.affine</c>), <see cref="Rotate"/> turns <b>counter-clockwise</b>
/// (as <c>F.rotate</c>, which passes −angle to the same matrix).
/// </summary>
public static class AffineWarp
{
    /// <summary>
    /// Rotation (clockwise degrees), translation (pixels), scale and shear (degrees along x, then y) about
    /// <paramref name="center"/> (pixel coordinates; null = the image centre), as torchvision's <c>F.affine</c>.
    /// </summary>
    public static ImageTensor Affine(ImageTensor image, double angle, (double X, double Y) translate, double scale, (double X, double Y) shear,
        Interpolation interpolation = Interpolation.Nearest, float? fill = 0f, (double X, double Y)? center = null)
    {
        if (scale <= 0) throw new ArgumentException($"affine scale must be positive, got {scale}");
        // torchvision's centre is relative to the image centre: (0, 0) is the middle of the image.
        var (cx, cy) = center is { } c ? (c.X - image.Width * 0.5, c.Y - image.Height * 0.5) : (0.0, 0.0);
        var m = InverseMatrix(cx, cy, angle, translate.X, translate.Y, scale, shear.X, shear.Y);
        return GridSampler.Affine(image, ImageSize.Of(image), ToPixelMap(m, image.Width, image.Height), interpolation, fill);
    }

    /// <summary>Rotation by <paramref name="angle"/> degrees counter-clockwise about the centre, size kept (torchvision's <c>F.rotate</c>).</summary>
    public static ImageTensor Rotate(ImageTensor image, double angle, Interpolation interpolation = Interpolation.Nearest, float? fill = 0f) =>
        Affine(image, -angle, (0, 0), 1, (0, 0), interpolation, fill);

    /// <summary>
    /// torchvision's <c>_get_inverse_affine_matrix</c>: the map from an output position to its source position, both relative
    /// to the image centre, M⁻¹ = C · RSS⁻¹ · C⁻¹ · T⁻¹ with RSS = R(angle) · S(scale) · SHy · SHx. Returns [a, b, c, d, e, f]
    /// for x' = a·x + b·y + c, y' = d·x + e·y + f.
    /// </summary>
    public static double[] InverseMatrix(double cx, double cy, double angle, double tx, double ty, double scale, double shearX, double shearY)
    {
        double rot = angle * Math.PI / 180, sx = shearX * Math.PI / 180, sy = shearY * Math.PI / 180;
        double a = Math.Cos(rot - sy) / Math.Cos(sy);
        double b = -Math.Cos(rot - sy) * Math.Tan(sx) / Math.Cos(sy) - Math.Sin(rot);
        double c = Math.Sin(rot - sy) / Math.Cos(sy);
        double d = -Math.Sin(rot - sy) * Math.Tan(sx) / Math.Cos(sy) + Math.Cos(rot);
        var m = new[] { d / scale, -b / scale, 0.0, -c / scale, a / scale, 0.0 };
        m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
        m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
        m[2] += cx;
        m[5] += cy;
        return m;
    }

    // The centred matrix as a map between pixel coordinates (origin at the top-left corner): source = W/2 + M·(p − W/2).
    private static double[] ToPixelMap(double[] m, int width, int height)
    {
        double hw = width * 0.5, hh = height * 0.5;
        return [m[0], m[1], m[2] + hw - m[0] * hw - m[1] * hh, m[3], m[4], m[5] + hh - m[3] * hw - m[4] * hh];
    }
}
