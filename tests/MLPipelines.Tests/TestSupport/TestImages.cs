using SkiaSharp;

namespace MLPipelines.Tests;

/// <summary>Small images made in the test, with known pixels.</summary>
internal static class TestImages
{
    /// <summary>Writes a PNG whose pixel (x, y) has colour <paramref name="color"/>(x, y); returns the path.</summary>
    public static string WritePng(string path, int width, int height, Func<int, int, SKColor> color)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bitmap.SetPixel(x, y, color(x, y));
        Save(bitmap, path, SKEncodedImageFormat.Png);
        return path;
    }

    /// <summary>Encodes a bitmap to a file (Skia encodes PNG, JPEG and WebP; see <see cref="WriteBmp"/> for BMP).</summary>
    public static void Save(SKBitmap bitmap, string path, SKEncodedImageFormat format, int quality = 95)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality) ?? throw new InvalidOperationException($"Skia cannot encode {format}");
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>Writes an uncompressed 24-bit BMP (bottom-up rows padded to 4 bytes), which Skia can read but not write.</summary>
    public static string WriteBmp(string path, int width, int height, Func<int, int, SKColor> color)
    {
        int rowSize = (3 * width + 3) / 4 * 4;
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write((byte)'B'); writer.Write((byte)'M');
        writer.Write(54 + rowSize * height); writer.Write(0); writer.Write(54);
        writer.Write(40); writer.Write(width); writer.Write(height); writer.Write((short)1); writer.Write((short)24);
        writer.Write(0); writer.Write(rowSize * height); writer.Write(2835); writer.Write(2835); writer.Write(0); writer.Write(0);
        for (int y = height - 1; y >= 0; y--)
        {
            for (int x = 0; x < width; x++)
            {
                var c = color(x, y);
                writer.Write(c.Blue); writer.Write(c.Green); writer.Write(c.Red);
            }
            for (int p = 3 * width; p < rowSize; p++) writer.Write((byte)0);
        }
        return path;
    }

    /// <summary>The pixel at (x, y) of the given ramp image: R = 16x + 3, G = 16y + 5, B = 200 − 8(x + y).</summary>
    public static SKColor Ramp(int x, int y) => new((byte)(16 * x + 3), (byte)(16 * y + 5), (byte)(200 - 8 * (x + y)));
}
