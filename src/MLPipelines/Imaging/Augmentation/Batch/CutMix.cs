namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision v2's CutMix (Yun et al., 2019): with probability p per batch, λ ~ Beta(α, α), a box of half-size
/// ⌊½√(1 − λ) · size⌋ centred at a uniform pixel and clipped to the image; every image gets the box pasted from image i − 1,
/// and its label weight is the actual unpasted area fraction, 1 − box area / image area (clipping included).
/// </summary>
public sealed class CutMix(double alpha = 1.0, double probability = 1.0) : RolledBetaMix("cutmix", alpha, probability)
{
    /// <inheritdoc/>
    protected override (ImageTensor[] Images, double Kept) Mix(IReadOnlyList<ImageTensor> images, int[] partner, double lambda, Random random)
    {
        int width = images[0].Width, height = images[0].Height, plane = width * height;
        var (x1, y1, x2, y2) = Box(width, height, lambda, random);
        var mixed = new ImageTensor[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            var result = images[i].Clone();
            var source = images[partner[i]].Data;
            for (int c = 0; c < 3; c++)
                for (int y = y1; y < y2; y++)
                    source.AsSpan(c * plane + y * width + x1, x2 - x1).CopyTo(result.Data.AsSpan(c * plane + y * width + x1));
            mixed[i] = result;
        }
        return (mixed, 1.0 - (double)(x2 - x1) * (y2 - y1) / plane);
    }

    /// <summary>The pasted box (x1, y1, x2, y2), end exclusive, for mixing weight λ: torchvision's draw of the centre (x, then y).</summary>
    public static (int X1, int Y1, int X2, int Y2) Box(int width, int height, double lambda, Random random)
    {
        int rx = random.Next(width), ry = random.Next(height);
        double r = 0.5 * Math.Sqrt(1.0 - lambda);
        int halfWidth = (int)(r * width), halfHeight = (int)(r * height);
        return (Math.Max(rx - halfWidth, 0), Math.Max(ry - halfHeight, 0), Math.Min(rx + halfWidth, width), Math.Min(ry + halfHeight, height));
    }
}
