namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision v2's colour functions on float images in [0, 1] (<c>adjust_brightness</c>, <c>adjust_contrast</c>,
/// <c>adjust_saturation</c>, <c>adjust_hue</c>, <c>adjust_sharpness</c>, <c>rgb_to_grayscale</c>, <c>posterize</c>,
/// <c>solarize</c>, <c>autocontrast</c>, <c>equalize</c>). Each returns a new image; results are clamped to [0, 1].
/// </summary>
public static class ColorAdjustments
{
    /// <summary>torchvision's gray weights (<c>_rgb_to_grayscale_image</c>: 0.2989 R + 0.587 G + 0.114 B; PIL uses 0.299).</summary>
    public const float RedWeight = 0.2989f, GreenWeight = 0.587f, BlueWeight = 0.114f;

    /// <summary>The gray level of every pixel.</summary>
    public static float[] Luma(ImageTensor image)
    {
        int n = image.PlaneSize;
        var gray = new float[n];
        var d = image.Data;
        for (int i = 0; i < n; i++)
            gray[i] = RedWeight * d[i] + GreenWeight * d[n + i] + BlueWeight * d[2 * n + i];
        return gray;
    }

    /// <summary>An RGB image whose three channels all hold the gray level.</summary>
    public static ImageTensor Grayscale(ImageTensor image)
    {
        var gray = Luma(image);
        var result = new ImageTensor(image.Width, image.Height);
        for (int c = 0; c < 3; c++)
            gray.CopyTo(result.Data, c * image.PlaneSize);
        return result;
    }

    /// <summary>clamp(factor · x).</summary>
    public static ImageTensor Brightness(ImageTensor image, double factor)
    {
        var result = new ImageTensor(image.Width, image.Height);
        float f = (float)factor;
        for (int i = 0; i < image.Data.Length; i++)
            result.Data[i] = Math.Clamp(f * image.Data[i], 0f, 1f);
        return result;
    }

    /// <summary>clamp(factor · x + (1 − factor) · mean gray level of the image).</summary>
    public static ImageTensor Contrast(ImageTensor image, double factor)
    {
        var gray = Luma(image);
        double sum = 0;
        foreach (float g in gray) sum += g;
        float mean = (float)(sum / gray.Length);
        var result = new ImageTensor(image.Width, image.Height);
        float f = (float)factor, rest = (float)(1 - factor) * mean;
        for (int i = 0; i < image.Data.Length; i++)
            result.Data[i] = Math.Clamp(f * image.Data[i] + rest, 0f, 1f);
        return result;
    }

    /// <summary>clamp(factor · x + (1 − factor) · gray level of the pixel).</summary>
    public static ImageTensor Saturation(ImageTensor image, double factor)
    {
        var gray = Luma(image);
        var result = new ImageTensor(image.Width, image.Height);
        float f = (float)factor, g = (float)(1 - factor);
        int n = image.PlaneSize;
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < n; i++)
                result.Data[c * n + i] = Math.Clamp(f * image.Data[c * n + i] + g * gray[i], 0f, 1f);
        return result;
    }

    /// <summary>Turns the hue by <paramref name="shift"/> of a full turn (−0.5 to 0.5) in HSV, as torchvision's <c>adjust_hue</c>.</summary>
    public static ImageTensor Hue(ImageTensor image, double shift)
    {
        if (shift is < -0.5 or > 0.5) throw new ArgumentException($"hue shift must be in [-0.5, 0.5], got {shift}");
        var result = new ImageTensor(image.Width, image.Height);
        int n = image.PlaneSize;
        float turn = (float)shift;
        for (int i = 0; i < n; i++)
        {
            float r = image.Data[i], g = image.Data[n + i], b = image.Data[2 * n + i];
            float max = MathF.Max(r, MathF.Max(g, b)), min = MathF.Min(r, MathF.Min(g, b));
            float range = max - min;
            float h = 0, s = 0;
            if (range > 0)
            {
                s = range / max;
                if (max == r) h = (g - b) / range;
                else if (max == g) h = 2f + (b - r) / range;
                else h = 4f + (r - g) / range;
                h /= 6f;
            }
            // (h + shift) mod 1 without fmod, which is slow per pixel.
            h += turn;
            h -= MathF.Floor(h);
            if (h >= 1f) h = 0f;
            var (nr, ng, nb) = HsvToRgb(h, s, max);
            result.Data[i] = nr;
            result.Data[n + i] = ng;
            result.Data[2 * n + i] = nb;
        }
        return result;
    }

    // torchvision's _hsv_to_rgb.
    private static (float R, float G, float B) HsvToRgb(float h, float s, float v)
    {
        float h6 = h * 6f, i = MathF.Floor(h6), f = h6 - i;
        float p = Math.Clamp(v * (1 - s), 0f, 1f);
        float q = Math.Clamp(v * (1 - s * f), 0f, 1f);
        float t = Math.Clamp(v * (1 - s + s * f), 0f, 1f);
        int sector = (int)i;
        if (sector >= 6) sector -= 6;
        return sector switch
        {
            0 => (v, t, p),
            1 => (q, v, p),
            2 => (p, v, t),
            3 => (p, q, v),
            4 => (t, p, v),
            _ => (v, p, q),
        };
    }

    /// <summary>
    /// torchvision's <c>adjust_sharpness</c>: blends each interior pixel with its 3×3 smoothing (weights 1, centre 5, /13)
    /// as clamp(x + (1 − factor) · (blur − x)); the one-pixel border is kept. Factor 0 blurs, 1 keeps, 2 sharpens.
    /// </summary>
    public static ImageTensor Sharpness(ImageTensor image, double factor)
    {
        var result = image.Clone();
        int w = image.Width, h = image.Height, n = image.PlaneSize;
        if (w > 2 && h > 2)
        {
            const float a = 1f / 13f, b = 5f / 13f;
            float k = (float)(1 - factor);
            for (int c = 0; c < 3; c++)
            {
                var plane = image.Data.AsSpan(c * n, n);
                for (int y = 1; y < h - 1; y++)
                {
                    var above = plane.Slice((y - 1) * w, w);
                    var row = plane.Slice(y * w, w);
                    var below = plane.Slice((y + 1) * w, w);
                    var target = result.Data.AsSpan(c * n + y * w, w);
                    for (int x = 1; x < w - 1; x++)
                    {
                        float blur = a * (above[x - 1] + above[x] + above[x + 1] + row[x - 1] + row[x + 1]
                            + below[x - 1] + below[x] + below[x + 1]) + b * row[x];
                        target[x] = Math.Clamp(row[x] + k * (blur - row[x]), 0f, 1f);
                    }
                }
            }
        }
        return result;
    }

    /// <summary>Keeps <paramref name="bits"/> bits per channel: floor(x · 2^bits) / 2^bits (torchvision's float <c>posterize</c>).</summary>
    public static ImageTensor Posterize(ImageTensor image, int bits)
    {
        if (bits is < 0 or > 8) throw new ArgumentException($"posterize bits must be 0 to 8, got {bits}");
        float levels = 1 << bits;
        var result = new ImageTensor(image.Width, image.Height);
        for (int i = 0; i < image.Data.Length; i++)
            result.Data[i] = Math.Clamp(MathF.Floor(image.Data[i] * levels), 0f, levels - 1) / levels;
        return result;
    }

    /// <summary>Inverts values at or above <paramref name="threshold"/>: x ≥ t ? 1 − x : x.</summary>
    public static ImageTensor Solarize(ImageTensor image, double threshold)
    {
        var result = new ImageTensor(image.Width, image.Height);
        float t = (float)threshold;
        for (int i = 0; i < image.Data.Length; i++)
            result.Data[i] = image.Data[i] >= t ? 1f - image.Data[i] : image.Data[i];
        return result;
    }

    /// <summary>Stretches each channel so its minimum becomes 0 and its maximum 1 (constant channels unchanged).</summary>
    public static ImageTensor AutoContrast(ImageTensor image)
    {
        var result = new ImageTensor(image.Width, image.Height);
        int n = image.PlaneSize;
        for (int c = 0; c < 3; c++)
        {
            var src = image.Data.AsSpan(c * n, n);
            var dst = result.Data.AsSpan(c * n, n);
            float min = float.MaxValue, max = float.MinValue;
            foreach (float v in src)
            {
                min = MathF.Min(min, v);
                max = MathF.Max(max, v);
            }
            if (min == max) (min, max) = (0f, 1f);
            float scale = 1f / (max - min);
            for (int i = 0; i < n; i++)
                dst[i] = Math.Clamp((src[i] - min) * scale, 0f, 1f);
        }
        return result;
    }

    /// <summary>
    /// Per-channel histogram equalisation on 8-bit levels with PIL's lookup table, as torchvision v2's <c>equalize</c>
    /// (floats become bytes as ⌊x · 255.999⌋ and back as byte / 255; a channel with one level is kept).
    /// </summary>
    public static ImageTensor Equalize(ImageTensor image)
    {
        var result = new ImageTensor(image.Width, image.Height);
        int n = image.PlaneSize;
        var bytes = new byte[n];
        var histogram = new int[256];
        var lut = new byte[256];
        for (int c = 0; c < 3; c++)
        {
            var src = image.Data.AsSpan(c * n, n);
            Array.Clear(histogram);
            for (int i = 0; i < n; i++)
            {
                bytes[i] = (byte)Math.Clamp((int)(src[i] * (256f - 1e-3f)), 0, 255);
                histogram[bytes[i]]++;
            }
            int last = 255;
            while (histogram[last] == 0) last--;
            int step = (n - histogram[last]) / 255;
            var dst = result.Data.AsSpan(c * n, n);
            if (step == 0)
            {
                for (int i = 0; i < n; i++) dst[i] = bytes[i] / 255f;
                continue;
            }
            int cumulative = 0;
            lut[0] = 0;
            for (int k = 1; k < 256; k++)
            {
                cumulative += histogram[k - 1];
                lut[k] = (byte)Math.Clamp((cumulative + step / 2) / step, 0, 255);
            }
            for (int i = 0; i < n; i++) dst[i] = lut[bytes[i]] / 255f;
        }
        return result;
    }
}
