using MLPipelines.Imaging;
using SkiaSharp;

namespace MLPipelines.Reports;

/// <summary>
/// Draws a grid of images with caption lines under each (e.g. misclassified test images with the true label and the top-3
/// predictions) as a PNG. Uses SkiaSharp directly: these are pictures, not charts.
/// </summary>
public static class ExampleGrid
{
    /// <summary>One tile: an image file (or pixels) and its caption lines; <see cref="Highlight"/> colours the first line.</summary>
    public sealed record Tile(string? ImagePath, ImageTensor? Pixels, IReadOnlyList<string> Caption, SKColor? Highlight = null);

    /// <summary>Writes the grid to <paramref name="pngPath"/> atomically.</summary>
    public static void Write(string pngPath, IReadOnlyList<Tile> tiles, int columns = 4, int tileSize = 160, string? title = null)
    {
        if (tiles.Count == 0) throw new ArgumentException("the grid needs at least one tile");
        columns = Math.Min(columns, tiles.Count);
        int rows = (tiles.Count + columns - 1) / columns;
        const int padding = 8, lineHeight = 15;
        int captionLines = tiles.Max(t => t.Caption.Count);
        int cellWidth = tileSize + 2 * padding, cellHeight = tileSize + captionLines * lineHeight + 2 * padding;
        int titleHeight = title is null ? 0 : 28;
        using var surface = new SKBitmap(columns * cellWidth, rows * cellHeight + titleHeight, isOpaque: true);
        using var canvas = new SKCanvas(surface);
        canvas.Clear(SKColors.White);
        using var typeface = SKFontManager.Default.MatchFamily("DejaVu Sans") ?? SKTypeface.Default;
        using var textPaint = new SKPaint { Typeface = typeface, TextSize = 12, IsAntialias = true, Color = SKColors.Black };
        using var titlePaint = new SKPaint { Typeface = typeface, TextSize = 16, IsAntialias = true, Color = SKColors.Black, FakeBoldText = true };
        using var imagePaint = new SKPaint { FilterQuality = SKFilterQuality.High };
        if (title is not null)
            canvas.DrawText(title, padding, 20, titlePaint);
        for (int i = 0; i < tiles.Count; i++)
        {
            var tile = tiles[i];
            float left = i % columns * cellWidth + padding, top = i / columns * cellHeight + padding + titleHeight;
            using (var bitmap = Load(tile))
            {
                float scale = Math.Min((float)tileSize / bitmap.Width, (float)tileSize / bitmap.Height);
                float w = bitmap.Width * scale, h = bitmap.Height * scale;
                canvas.DrawBitmap(bitmap, new SKRect(left + (tileSize - w) / 2, top + (tileSize - h) / 2, left + (tileSize + w) / 2, top + (tileSize + h) / 2), imagePaint);
            }
            for (int line = 0; line < tile.Caption.Count; line++)
            {
                textPaint.Color = line == 0 && tile.Highlight is { } color ? color : SKColors.Black;
                canvas.DrawText(Fit(tile.Caption[line], textPaint, tileSize), left, top + tileSize + lineHeight * (line + 1), textPaint);
            }
        }
        SavePng(surface, pngPath);
    }

    /// <summary>Encodes a bitmap as PNG and writes it atomically.</summary>
    public static void SavePng(SKBitmap bitmap, string pngPath)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(pngPath, data.Span);
    }

    private static SKBitmap Load(Tile tile)
    {
        if (tile.Pixels is not null) return tile.Pixels.ToBitmap();
        try
        {
            return ImageDecoder.Decode(tile.ImagePath!);
        }
        catch (InvalidImageException)
        {
            var placeholder = new SKBitmap(32, 32, isOpaque: true);
            placeholder.Erase(SKColors.LightGray);
            return placeholder;
        }
    }

    private static string Fit(string text, SKPaint paint, float width)
    {
        if (paint.MeasureText(text) <= width) return text;
        while (text.Length > 1 && paint.MeasureText(text + "…") > width)
            text = text[..^1];
        return text + "…";
    }
}
