namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision v2's ColorJitter: a random order of the four adjustments, then brightness, contrast and saturation factors
/// drawn from their ranges (a single amount v means [max(0, 1 − v), 1 + v]) and a hue shift from its range (a single h
/// means [−h, h], fraction of a turn). Adjustments whose range is null are skipped without a draw, as in torchvision.
/// </summary>
public sealed class ColorJitter : IImageAugmentation
{
    /// <summary>Creates the transform from factor ranges; null disables an adjustment.</summary>
    public ColorJitter(ValueRange? brightness = null, ValueRange? contrast = null, ValueRange? saturation = null, ValueRange? hue = null)
    {
        foreach (var (name, range) in new[] { ("brightness", brightness), ("contrast", contrast), ("saturation", saturation) })
            if (range is { } r && (r.Min < 0 || r.Min > r.Max))
                throw new ArgumentException($"jitter {name} range must be increasing and non-negative, got {r}");
        if (hue is { } h && (h.Min < -0.5 || h.Max > 0.5 || h.Min > h.Max))
            throw new ArgumentException($"jitter hue range must lie in [-0.5, 0.5], got {h}");
        Brightness = brightness;
        Contrast = contrast;
        Saturation = saturation;
        Hue = hue;
    }

    /// <summary>The range for a single jitter amount, as torchvision: [max(0, 1 − v), 1 + v]; null when v is 0.</summary>
    public static ValueRange? FactorRange(double amount) =>
        amount > 0 ? new ValueRange(Math.Max(0, 1 - amount), 1 + amount) : amount == 0 ? null
            : throw new ArgumentException($"jitter amount must not be negative, got {amount}");

    /// <summary>The range for a single hue amount: [−h, h]; null when h is 0.</summary>
    public static ValueRange? HueRange(double amount) => amount == 0 ? null : ValueRange.Symmetric(amount);

    /// <summary>Brightness factor range.</summary>
    public ValueRange? Brightness { get; }

    /// <summary>Contrast factor range.</summary>
    public ValueRange? Contrast { get; }

    /// <summary>Saturation factor range.</summary>
    public ValueRange? Saturation { get; }

    /// <summary>Hue shift range (fraction of a turn).</summary>
    public ValueRange? Hue { get; }

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random)
    {
        int[] order = [0, 1, 2, 3];
        random.Shuffle(order);
        double? b = Brightness?.Draw(random), c = Contrast?.Draw(random), s = Saturation?.Draw(random), h = Hue?.Draw(random);
        foreach (int step in order)
        {
            image = step switch
            {
                0 when b is { } factor => ColorAdjustments.Brightness(image, factor),
                1 when c is { } factor => ColorAdjustments.Contrast(image, factor),
                2 when s is { } factor => ColorAdjustments.Saturation(image, factor),
                3 when h is { } shift => ColorAdjustments.Hue(image, shift),
                _ => image,
            };
        }
        return image;
    }

    /// <inheritdoc/>
    public string Describe()
    {
        var arguments = new List<(string, string)>();
        if (Brightness is { } b) arguments.Add(("brightness", b.ToString()));
        if (Contrast is { } c) arguments.Add(("contrast", c.ToString()));
        if (Saturation is { } s) arguments.Add(("saturation", s.ToString()));
        if (Hue is { } h) arguments.Add(("hue", h.ToString()));
        return SpecFormat.Call("jitter", [.. arguments]);
    }
}
