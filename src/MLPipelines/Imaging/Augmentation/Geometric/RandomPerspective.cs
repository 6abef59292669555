namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision v2's RandomPerspective: with probability <see cref="Probability"/>, each corner moves inwards by a random
/// whole number of pixels up to <see cref="DistortionScale"/> · half the size; the image is warped by the homography that
/// maps the moved corners to the original ones (bilinear, fill 0 by default). Corner draw order as torchvision.
/// </summary>
public sealed class RandomPerspective(double distortionScale = 0.5, double probability = 0.5,
    Interpolation interpolation = Interpolation.Bilinear, float fill = 0f) : IImageAugmentation
{
    /// <summary>How far corners move, as a fraction of half the width/height (0 to 1).</summary>
    public double DistortionScale { get; } = distortionScale is >= 0 and <= 1
        ? distortionScale
        : throw new ArgumentException($"perspective distortion must be in [0, 1], got {distortionScale}");

    /// <summary>Probability of applying.</summary>
    public double Probability { get; } = probability;

    /// <summary>Interpolation; torchvision's default is bilinear.</summary>
    public Interpolation Interpolation { get; } = interpolation;

    /// <summary>Value of uncovered pixels.</summary>
    public float Fill { get; } = fill;

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random)
    {
        if (!random.Chance(Probability)) return image;
        int width = image.Width, height = image.Height;
        int boundHeight = (int)(DistortionScale * (height / 2)) + 1;
        int boundWidth = (int)(DistortionScale * (width / 2)) + 1;
        (int X, int Y) topLeft = (random.Next(0, boundWidth), random.Next(0, boundHeight));
        (int X, int Y) topRight = (random.Next(width - boundWidth, width), random.Next(0, boundHeight));
        (int X, int Y) bottomRight = (random.Next(width - boundWidth, width), random.Next(height - boundHeight, height));
        (int X, int Y) bottomLeft = (random.Next(0, boundWidth), random.Next(height - boundHeight, height));
        (int, int)[] start = [(0, 0), (width - 1, 0), (width - 1, height - 1), (0, height - 1)];
        (int, int)[] end = [topLeft, topRight, bottomRight, bottomLeft];
        return GridSampler.Perspective(image, Coefficients(start, end), Interpolation, Fill);
    }

    /// <inheritdoc/>
    public string Describe() => SpecFormat.Call("perspective", ("distortion", SpecFormat.Number(DistortionScale)),
        ("p", SpecFormat.Number(Probability)), ("interpolation", SpecFormat.Word(Interpolation)), ("fill", SpecFormat.Number(Fill)));

    /// <summary>
    /// torchvision's <c>_get_perspective_coeffs</c>: the 8 homography coefficients mapping each <paramref name="end"/> point
    /// (output) to its <paramref name="start"/> point (input), rounded to float32 as torchvision does.
    /// </summary>
    public static double[] Coefficients(IReadOnlyList<(int X, int Y)> start, IReadOnlyList<(int X, int Y)> end)
    {
        var a = new double[8, 9];
        for (int i = 0; i < 4; i++)
        {
            var (ex, ey) = end[i];
            var (sx, sy) = start[i];
            double[] row1 = [ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey, sx];
            double[] row2 = [0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey, sy];
            for (int j = 0; j < 9; j++)
            {
                a[2 * i, j] = row1[j];
                a[2 * i + 1, j] = row2[j];
            }
        }
        // Gaussian elimination with partial pivoting on the augmented 8×9 system.
        for (int col = 0; col < 8; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < 8; r++)
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            if (Math.Abs(a[pivot, col]) < 1e-12) throw new ArgumentException("perspective corners are degenerate (collinear)");
            for (int j = 0; j < 9; j++) (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            for (int r = 0; r < 8; r++)
            {
                if (r == col) continue;
                double factor = a[r, col] / a[col, col];
                for (int j = col; j < 9; j++) a[r, j] -= factor * a[col, j];
            }
        }
        var result = new double[8];
        for (int i = 0; i < 8; i++)
            result[i] = (float)(a[i, 8] / a[i, i]);
        return result;
    }
}
