using MLPipelines.Imaging;
using MLPipelines.Reports;
using SkiaSharp;

namespace MLPipelines.Visualization;

/// <summary>
/// The filters of a first convolution as a grid of small RGB tiles (one per filter; three input channels shown as R, G, B,
/// one channel as gray), each normalized to [0,1] on its own (min → 0, max → 1) and enlarged with nearest-neighbour so every
/// weight stays a crisp square. The grid is as square as the filter count allows (96 filters → 8 rows × 12 columns).
/// </summary>
public sealed class FilterGrid
{
    private FilterGrid(IReadOnlyList<ImageTensor> tiles, int rows, int columns)
    {
        Tiles = tiles;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>One normalized tile per filter, at kernel resolution.</summary>
    public IReadOnlyList<ImageTensor> Tiles { get; }

    public int Rows { get; }
    public int Columns { get; }

    /// <summary>Tile width in pixels before enlarging (the kernel width).</summary>
    public int TileWidth => Tiles[0].Width;

    /// <summary>Tile height in pixels before enlarging (the kernel height).</summary>
    public int TileHeight => Tiles[0].Height;

    /// <summary>
    /// The grid of <paramref name="convolution"/>'s filters. <paramref name="bgrInput"/> swaps the first and third input channel
    /// so that tiles are shown in RGB for models that read BGR.
    /// </summary>
    public static FilterGrid Create(FirstConvolution convolution, bool bgrInput = false)
    {
        int n = convolution.FilterCount, channels = convolution.InputChannels, kh = convolution.KernelHeight, kw = convolution.KernelWidth;
        int perFilter = channels * kh * kw;
        var tiles = new List<ImageTensor>(n);
        for (int f = 0; f < n; f++)
        {
            var weights = convolution.Weights.AsSpan(f * perFilter, perFilter);
            float min = float.MaxValue, max = float.MinValue;
            foreach (float w in weights) { min = Math.Min(min, w); max = Math.Max(max, w); }
            float range = max > min ? max - min : 1;
            var tile = new ImageTensor(kw, kh);
            for (int c = 0; c < 3; c++)
            {
                int source = channels >= 3 ? (bgrInput ? 2 - c : c) : 0;
                for (int i = 0; i < kh * kw; i++)
                    tile.Data[c * kh * kw + i] = (weights[source * kh * kw + i] - min) / range;
            }
            tiles.Add(tile);
        }
        var (rows, columns) = Layout(n);
        return new FilterGrid(tiles, rows, columns);
    }

    /// <summary>Rows × columns for <paramref name="count"/> tiles: the factor pair closest to a square, more columns than rows.</summary>
    public static (int Rows, int Columns) Layout(int count)
    {
        for (int rows = (int)Math.Floor(Math.Sqrt(count)); rows >= 1; rows--)
            if (count % rows == 0 && count / rows <= 3 * rows)
                return (rows, count / rows);
        int columns = (int)Math.Ceiling(Math.Sqrt(count));
        return ((count + columns - 1) / columns, columns);
    }

    /// <summary>Writes the grid as a PNG; every weight becomes a <paramref name="scale"/>×<paramref name="scale"/> square.</summary>
    public void Save(string pngPath, int scale = 8, int gap = 2)
    {
        int tileW = TileWidth * scale, tileH = TileHeight * scale;
        using var bitmap = new SKBitmap(Columns * (tileW + gap) + gap, Rows * (tileH + gap) + gap, isOpaque: true);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var paint = new SKPaint { FilterQuality = SKFilterQuality.None, IsAntialias = false };
            for (int i = 0; i < Tiles.Count; i++)
            {
                using var tile = Tiles[i].ToBitmap();
                float left = gap + i % Columns * (tileW + gap), top = gap + i / Columns * (tileH + gap);
                canvas.DrawBitmap(tile, new SKRect(0, 0, tile.Width, tile.Height), new SKRect(left, top, left + tileW, top + tileH), paint);
            }
        }
        ExampleGrid.SavePng(bitmap, pngPath);
    }
}
