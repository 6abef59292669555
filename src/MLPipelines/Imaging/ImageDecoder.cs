using SkiaSharp;

namespace MLPipelines.Imaging;

/// <summary>
/// Decodes and resizes images exactly as ML.NET's <c>LoadImages</c> and <c>ResizeImages</c> do (ML.NET 5, SkiaSharp 2.88),
/// so that pixels computed here for training, caching and augmentation equal the pixels a saved model.zip sees at
/// prediction time in a stock ML.NET app. A test checks the equality byte for byte.
/// </summary>
/// <remarks>
/// ML.NET's <c>ResizingKind.Fill</c> resizes with <c>SKFilterQuality.None</c> (nearest neighbour) and is never used here;
/// <c>IsoCrop</c> and <c>IsoPad</c> draw with <c>SKFilterQuality.High</c> (mipmaps when shrinking, bicubic when enlarging).
/// </remarks>
public static class ImageDecoder
{
    /// <summary>File extensions the image-folder loader accepts.</summary>
    public static readonly IReadOnlySet<string> SupportedExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".webp" };

    /// <summary>
    /// Decodes a file to a 32-bit BGRA or RGBA bitmap as ML.NET's <c>MLImage.CreateFromFile</c> does: premultiplied alpha,
    /// no colour-space conversion, grayscale and CMYK converted to colour. Unlike ML.NET, truncated files are rejected.
    /// </summary>
    /// <exception cref="InvalidImageException">The file is missing, not an image, or truncated.</exception>
    public static SKBitmap Decode(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidImageException(path, "cannot be read: " + e.Message);
        }
        return Decode(bytes, path);
    }

    /// <summary>Decodes encoded image bytes; <paramref name="name"/> only names the source in errors.</summary>
    public static SKBitmap Decode(byte[] encoded, string name)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidImageException(name, "is not a decodable image (unknown or corrupt header)");
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0)
            throw new InvalidImageException(name, $"has an invalid size {info.Width}×{info.Height}");
        if (info.AlphaType == SKAlphaType.Unpremul)
            info.AlphaType = SKAlphaType.Premul;
        info.ColorSpace = null;
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels(out _));
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new InvalidImageException(name, result == SKCodecResult.IncompleteInput
                ? "is truncated (incomplete image data)"
                : $"could not be decoded ({result})");
        }
        if (bitmap.ColorType is SKColorType.Rgba8888 or SKColorType.Bgra8888)
            return bitmap;
        // ML.NET converts every other colour type (gray, RGB565, 16-bit, F16...) to BGRA.
        if (!bitmap.CanCopyTo(SKColorType.Bgra8888))
        {
            bitmap.Dispose();
            throw new InvalidImageException(name, $"has an unsupported pixel format {info.ColorType}");
        }
        var converted = bitmap.Copy(SKColorType.Bgra8888);
        bitmap.Dispose();
        return converted;
    }

    /// <summary>Resizes to <paramref name="width"/>×<paramref name="height"/> with ML.NET's IsoCrop/IsoPad geometry and filter.</summary>
    public static SKBitmap Resize(SKBitmap image, int width, int height, ImageResizeKind kind = ImageResizeKind.CenterCrop)
    {
        float scaleX = (float)width / image.Width;
        float scaleY = (float)height / image.Height;
        int offsetX = 0, offsetY = 0;
        float scale;
        if (kind == ImageResizeKind.CenterCrop)
        {
            if (scaleY < scaleX)
            {
                scale = scaleX;
                offsetY = (int)((height - image.Height * scale) / 2f);
            }
            else
            {
                scale = scaleY;
                offsetX = (int)((width - image.Width * scale) / 2f);
            }
        }
        else
        {
            if (scaleY < scaleX)
            {
                scale = scaleY;
                offsetX = (int)((width - image.Width * scale) / 2f);
            }
            else
            {
                scale = scaleX;
                offsetY = (int)((height - image.Height * scale) / 2f);
            }
        }
        int drawWidth = (int)(image.Width * scale);
        int drawHeight = (int)(image.Height * scale);
        var resized = new SKBitmap(width, height, isOpaque: true);
        using var canvas = new SKCanvas(resized);
        using var paint = new SKPaint { FilterQuality = SKFilterQuality.High };
        canvas.DrawBitmap(image,
            new SKRect(0, 0, image.Width, image.Height),
            new SKRect(offsetX, offsetY, offsetX + drawWidth, offsetY + drawHeight),
            paint);
        return resized;
    }

    /// <summary>Decodes and resizes in one step.</summary>
    public static SKBitmap LoadResized(string path, int width, int height, ImageResizeKind kind = ImageResizeKind.CenterCrop)
    {
        using var decoded = Decode(path);
        return Resize(decoded, width, height, kind);
    }

    /// <summary>
    /// Planar RGB bytes (3×H×W, channel-major) as ML.NET's <c>ExtractPixels</c> reads them (premultiplied, alpha dropped).
    /// </summary>
    public static byte[] ToPlanarRgb(SKBitmap image)
    {
        int plane = image.Width * image.Height;
        var result = new byte[3 * plane];
        var pixels = image.GetPixelSpan();
        (int r, int g, int b) = image.ColorType == SKColorType.Rgba8888 ? (0, 1, 2) : (2, 1, 0);
        for (int i = 0, p = 0; i < plane; i++, p += 4)
        {
            result[i] = pixels[p + r];
            result[plane + i] = pixels[p + g];
            result[2 * plane + i] = pixels[p + b];
        }
        return result;
    }
}
