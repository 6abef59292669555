namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// Collage: each image, with probability <see cref="Probability"/>, is rebuilt from itself and a partner that is always a
/// different image of the batch (a random cyclic permutation, so never itself). The canvas is cut by a random layout —
/// a vertical split, a horizontal split, or four quadrants around a random point (diagonal quadrants from the same image) —
/// at a position uniform in [<see cref="MinFraction"/>, 1 − <see cref="MinFraction"/>] of the size; each tile shows the
/// whole source image resized into it (antialiased), so objects stay complete. Targets are weighted by the tiles' pixel areas.
/// A batch of one image has no partner and is returned unmixed.
/// </summary>
public sealed class Collage : IBatchAugmentation
{
    /// <summary>Creates the augmentation.</summary>
    public Collage(double probability = 1.0, double minFraction = 0.25)
    {
        if (minFraction is <= 0 or >= 0.5) throw new ArgumentException($"collage min-fraction must be in (0, 0.5), got {minFraction}");
        Probability = probability;
        MinFraction = minFraction;
    }

    /// <summary>Probability that an image becomes a collage.</summary>
    public double Probability { get; }

    /// <summary>Smallest share of the width/height a cut leaves on either side.</summary>
    public double MinFraction { get; }

    /// <summary>How the canvas is divided.</summary>
    public enum Layout
    {
        /// <summary>Left and right tiles.</summary>
        VerticalSplit,

        /// <summary>Top and bottom tiles.</summary>
        HorizontalSplit,

        /// <summary>Four tiles around a point; top-left and bottom-right from one image, the others from the partner.</summary>
        Quadrants,
    }

    /// <inheritdoc/>
    public SoftTargetBatch Apply(IReadOnlyList<ImageTensor> images, IReadOnlyList<int> labels, int classCount, Random random)
    {
        BatchMixing.Validate(images, labels, classCount, "collage");
        if (images.Count < 2) return SoftTargetBatch.OneHot(images, labels, classCount);
        var partner = BatchMixing.Derangement(images.Count, random);
        var mixed = new ImageTensor[images.Count];
        var own = new double[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            if (!random.Chance(Probability))
            {
                mixed[i] = images[i];
                own[i] = 1;
                continue;
            }
            var layout = (Layout)random.Next(3);
            int width = images[i].Width, height = images[i].Height;
            int cutX = Cut(width, random), cutY = Cut(height, random);
            bool ownFirst = random.Chance(0.5);
            (mixed[i], own[i]) = Compose(images[i], images[partner[i]], layout, cutX, cutY, ownFirst);
        }
        return new SoftTargetBatch(mixed, BatchMixing.Targets(labels, partner, own, classCount), classCount);
    }

    /// <summary>
    /// The collage of <paramref name="image"/> and <paramref name="other"/> cut at (<paramref name="cutX"/>, <paramref name="cutY"/>)
    /// (only the coordinate the layout uses matters); <paramref name="imageFirst"/> puts <paramref name="image"/> on the
    /// left/top/top-left tile. Returns the collage and <paramref name="image"/>'s share of the area.
    /// </summary>
    public static (ImageTensor Collage, double ImageShare) Compose(ImageTensor image, ImageTensor other, Layout layout, int cutX, int cutY, bool imageFirst)
    {
        int width = image.Width, height = image.Height;
        var (first, second) = imageFirst ? (image, other) : (other, image);
        var result = new ImageTensor(width, height);
        long firstArea;
        switch (layout)
        {
            case Layout.VerticalSplit:
                firstArea = Paste(result, first, 0, 0, cutX, height);
                Paste(result, second, cutX, 0, width - cutX, height);
                break;
            case Layout.HorizontalSplit:
                firstArea = Paste(result, first, 0, 0, width, cutY);
                Paste(result, second, 0, cutY, width, height - cutY);
                break;
            default:
                firstArea = Paste(result, first, 0, 0, cutX, cutY) + Paste(result, first, cutX, cutY, width - cutX, height - cutY);
                Paste(result, second, cutX, 0, width - cutX, cutY);
                Paste(result, second, 0, cutY, cutX, height - cutY);
                break;
        }
        double firstShare = (double)firstArea / ((long)width * height);
        return (result, imageFirst ? firstShare : 1 - firstShare);
    }

    private int Cut(int size, Random random)
    {
        int cut = (int)Math.Round(size * random.Uniform(MinFraction, 1 - MinFraction));
        return Math.Clamp(cut, 1, Math.Max(1, size - 1));
    }

    // Draws the whole source resized into the tile; returns the tile's area.
    private static long Paste(ImageTensor canvas, ImageTensor source, int left, int top, int width, int height)
    {
        if (width <= 0 || height <= 0) return 0;
        var tile = AntialiasedResampler.Resize(source, new ImageSize(width, height));
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
                tile.Data.AsSpan(c * tile.PlaneSize + y * width, width)
                    .CopyTo(canvas.Data.AsSpan(c * canvas.PlaneSize + (top + y) * canvas.Width + left));
        return (long)width * height;
    }

    /// <inheritdoc/>
    public string Describe() => SpecFormat.Call("collage", ("p", SpecFormat.Number(Probability)), ("min-fraction", SpecFormat.Number(MinFraction)));
}
