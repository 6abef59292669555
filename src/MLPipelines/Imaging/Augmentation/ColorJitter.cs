namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision's ColorJitter: brightness, contrast and saturation factors drawn from [max(0, 1 − v), 1 + v], hue shift from
/// [−hue, hue] (fraction of a turn), applied in a random order, values clamped to [0, 1].
/// </summary>
public sealed class ColorJitter(double brightness = 0, double contrast = 0, double saturation = 0, double hue = 0) : IImageAugmentation
{
    public double Brightness { get; } = brightness;
    public double Contrast { get; } = contrast;
    public double Saturation { get; } = saturation;
    public double Hue { get; } = hue;

    public ImageTensor Apply(ImageTensor image, Random random)
    {
        var order = new[] { 0, 1, 2, 3 };
        random.Shuffle(order);
        double b = Factor(random, Brightness), c = Factor(random, Contrast), s = Factor(random, Saturation);
        double h = Hue > 0 ? RandomAffine.Uniform(random, -Hue, Hue) : 0;
        var result = image;
        foreach (int step in order)
        {
            result = step switch
            {
                0 when Brightness > 0 => AdjustBrightness(result, b),
                1 when Contrast > 0 => AdjustContrast(result, c),
                2 when Saturation > 0 => AdjustSaturation(result, s),
                3 when Hue > 0 => AdjustHue(result, h),
                _ => result,
            };
        }
        return result;
    }

    public string Describe() => $"ColorJitter(brightness={Brightness:g}, contrast={Contrast:g}, saturation={Saturation:g}, hue={Hue:g})";

    private static double Factor(Random random, double amount) =>
        amount > 0 ? RandomAffine.Uniform(random, Math.Max(0, 1 - amount), 1 + amount) : 1;

    /// <summary>x · factor, clamped.</summary>
    public static ImageTensor AdjustBrightness(ImageTensor image, double factor) =>
        Blend(image, (_, _) => 0f, factor);

    /// <summary>factor · x + (1 − factor) · mean gray level of the image, clamped.</summary>
    public static ImageTensor AdjustContrast(ImageTensor image, double factor)
    {
        var gray = Grayscale.Luma(image);
        float mean = (float)gray.Average();
        return Blend(image, (_, _) => mean, factor);
    }

    /// <summary>factor · x + (1 − factor) · gray level of the pixel, clamped.</summary>
    public static ImageTensor AdjustSaturation(ImageTensor image, double factor)
    {
        var gray = Grayscale.Luma(image);
        return Blend(image, (_, i) => gray[i], factor);
    }

    /// <summary>Rotates the hue by <paramref name="shift"/> of a full turn (in HSV), as torchvision's <c>adjust_hue</c>.</summary>
    public static ImageTensor AdjustHue(ImageTensor image, double shift)
    {
        var result = new ImageTensor(image.Width, image.Height);
        int n = image.PlaneSize;
        for (int i = 0; i < n; i++)
        {
            float r = image.Data[i], g = image.Data[n + i], b = image.Data[2 * n + i];
            float max = MathF.Max(r, MathF.Max(g, b)), min = MathF.Min(r, MathF.Min(g, b));
            float delta = max - min;
            float h = 0;
            if (delta > 0)
            {
                if (max == r) h = (g - b) / delta / 6f;
                else if (max == g) h = (2f + (b - r) / delta) / 6f;
                else h = (4f + (r - g) / delta) / 6f;
            }
            h = (float)(((h + shift) % 1 + 1) % 1);
            float saturation = max > 0 ? delta / max : 0;
            var (nr, ng, nb) = HsvToRgb(h, saturation, max);
            result.Data[i] = nr;
            result.Data[n + i] = ng;
            result.Data[2 * n + i] = nb;
        }
        return result;
    }

    private static (float R, float G, float B) HsvToRgb(float h, float s, float v)
    {
        float i = MathF.Floor(h * 6f), f = h * 6f - i;
        float p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        return ((int)i % 6) switch
        {
            0 => (v, t, p),
            1 => (q, v, p),
            2 => (p, v, t),
            3 => (p, q, v),
            4 => (t, p, v),
            _ => (v, p, q),
        };
    }

    private static ImageTensor Blend(ImageTensor image, Func<int, int, float> other, double factor)
    {
        var result = new ImageTensor(image.Width, image.Height);
        float f = (float)factor;
        int n = image.PlaneSize;
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < n; i++)
                result.Data[c * n + i] = Math.Clamp(f * image.Data[c * n + i] + (1 - f) * other(c, i), 0f, 1f);
        return result;
    }
}
