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

    /// <summary>Encodes a bitmap to a file.</summary>
    public static void Save(SKBitmap bitmap, string path, SKEncodedImageFormat format, int quality = 95)
    {
        using var data = bitmap.Encode(format, quality);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>The pixel at (x, y) of the given ramp image: R = 16x + 3, G = 16y + 5, B = 200 − 8(x + y).</summary>
    public static SKColor Ramp(int x, int y) => new((byte)(16 * x + 3), (byte)(16 * y + 5), (byte)(200 - 8 * (x + y)));
}
