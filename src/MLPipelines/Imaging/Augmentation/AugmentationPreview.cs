using SkiaSharp;

namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// A PNG grid of one image under <c>count</c> random draws of a spec's per-sample augmentation, for reports. Draw i uses
/// its own generator seeded from (seed, i), so a preview is reproducible. Batch operations need a batch and are not drawn.
/// </summary>
public static class AugmentationPreview
{
    /// <summary>Gap between tiles and around the grid, in pixels.</summary>
    public const int Gap = 4;

    /// <summary>Loads <paramref name="imagePath"/> at <paramref name="inputSize"/>² (centre crop) and writes the grid.</summary>
    public static ImageSize Write(string imagePath, AugmentationSpec spec, string pngPath, int count = 16, int seed = 0, int inputSize = 224) =>
        Write(ImageTensor.Load(imagePath, inputSize, inputSize), spec, pngPath, count, seed);

    /// <summary>Writes the grid of <paramref name="count"/> draws to <paramref name="pngPath"/> atomically; returns the PNG size.</summary>
    public static ImageSize Write(ImageTensor image, AugmentationSpec spec, string pngPath, int count = 16, int seed = 0)
    {
        if (count < 1) throw new ArgumentException($"a preview needs at least one draw, got {count}");
        var draws = Enumerable.Range(0, count)
            .Select(i => spec.PerSample.Apply(image, AugmentationPipeline.SeededFor(seed, "preview", i)))
            .ToList();
        var (columns, rows) = GridShape(count);
        var tile = new ImageSize(draws.Max(d => d.Width), draws.Max(d => d.Height));
        var size = GridSize(count, tile);
        using var grid = new SKBitmap(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(grid))
        {
            canvas.Clear(SKColors.White);
            for (int i = 0; i < draws.Count; i++)
            {
                using var bitmap = draws[i].ToBitmap();
                canvas.DrawBitmap(bitmap, Gap + i % columns * (tile.Width + Gap), Gap + i / columns * (tile.Height + Gap));
            }
        }
        using var encoded = grid.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode the preview {pngPath}");
        AtomicFile.WriteAllBytes(pngPath, encoded.AsSpan());
        return size;
    }

    /// <summary>Columns and rows of the grid: ⌈√count⌉ columns (4 × 4 for 16 draws).</summary>
    public static (int Columns, int Rows) GridShape(int count)
    {
        int columns = (int)Math.Ceiling(Math.Sqrt(count));
        return (columns, (count + columns - 1) / columns);
    }

    /// <summary>The PNG size for <paramref name="count"/> tiles of <paramref name="tile"/>.</summary>
    public static ImageSize GridSize(int count, ImageSize tile)
    {
        var (columns, rows) = GridShape(count);
        return new ImageSize(columns * tile.Width + (columns + 1) * Gap, rows * tile.Height + (rows + 1) * Gap);
    }
}
