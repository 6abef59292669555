namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision v2's CutMix (Yun et al., 2019): with probability <see cref="Probability"/> per batch, λ ~ Beta(α, α), a box of
/// half-size ⌊½√(1 − λ) · size⌋ centred at a uniform pixel and clipped to the image; every image gets the box pasted from
/// image i − 1 (<c>roll(1)</c>), and its label weight is the actual unpasted area fraction, 1 − box area / image area.
/// </summary>
public sealed class CutMix(double alpha = 1.0, double probability = 1.0) : IBatchAugmentation
{
    /// <summary>Beta concentration α.</summary>
    public double Alpha { get; } = alpha > 0 ? alpha : throw new ArgumentException($"cutmix alpha must be positive, got {alpha}");

    /// <summary>Probability that a batch is mixed.</summary>
    public double Probability { get; } = probability;

    /// <inheritdoc/>
    public SoftTargetBatch Apply(IReadOnlyList<ImageTensor> images, IReadOnlyList<int> labels, int classCount, Random random)
    {
        BatchMixing.Validate(images, labels, classCount, "cutmix");
        if (!random.Chance(Probability)) return SoftTargetBatch.OneHot(images, labels, classCount);
        double lambda = BetaSampler.Beta(random, Alpha, Alpha);
        int width = images[0].Width, height = images[0].Height;
        var (x1, y1, x2, y2) = Box(width, height, lambda, random);
        double kept = 1.0 - (double)(x2 - x1) * (y2 - y1) / ((double)width * height);
        var partner = BatchMixing.Rolled(images.Count);
        var mixed = new ImageTensor[images.Count];
        int plane = width * height;
        for (int i = 0; i < images.Count; i++)
        {
            var result = images[i].Clone();
            var source = images[partner[i]].Data;
            for (int c = 0; c < 3; c++)
                for (int y = y1; y < y2; y++)
                    source.AsSpan(c * plane + y * width + x1, x2 - x1).CopyTo(result.Data.AsSpan(c * plane + y * width + x1));
            mixed[i] = result;
        }
        var weights = Enumerable.Repeat(kept, images.Count).ToArray();
        return new SoftTargetBatch(mixed, BatchMixing.Targets(labels, partner, weights, classCount), classCount);
    }

    /// <summary>The pasted box (x1, y1, x2, y2), end exclusive, for mixing weight λ: torchvision's draw of the centre (x, then y).</summary>
    public static (int X1, int Y1, int X2, int Y2) Box(int width, int height, double lambda, Random random)
    {
        int rx = random.Next(width), ry = random.Next(height);
        double r = 0.5 * Math.Sqrt(1.0 - lambda);
        int halfWidth = (int)(r * width), halfHeight = (int)(r * height);
        return (Math.Max(rx - halfWidth, 0), Math.Max(ry - halfHeight, 0), Math.Min(rx + halfWidth, width), Math.Min(ry + halfHeight, height));
    }

    /// <inheritdoc/>
    public string Describe() => SpecFormat.Call("cutmix", ("alpha", SpecFormat.Number(Alpha)), ("p", SpecFormat.Number(Probability)));
}
