namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision's RandomErasing: with probability <see cref="Probability"/>, up to 10 attempts draw an area fraction in
/// <see cref="Scale"/> and a log-uniform aspect ratio (height/width, note: the inverse of RandomResizedCrop's) in
/// <see cref="Ratio"/>; the first rectangle strictly smaller than the image is placed uniformly and filled with
/// <see cref="Value"/> (per channel) or, when <see cref="Value"/> is null, with noise. Difference: torchvision's noise is
/// N(0, 1) because it erases normalised tensors; these images are in [0, 1] before normalisation, so the noise is uniform in [0, 1].
/// </summary>
public sealed class RandomErasing : IImageAugmentation
{
    /// <summary>Creates the transform; defaults are torchvision's (p 0.5, scale [0.02, 0.33], ratio [0.3, 3.3], value 0).</summary>
    public RandomErasing(double probability = 0.5, ValueRange? scale = null, ValueRange? ratio = null, float[]? value = null, bool randomValue = false)
    {
        Probability = probability;
        Scale = scale ?? new ValueRange(0.02, 0.33);
        Ratio = ratio ?? new ValueRange(0.3, 3.3);
        if (Scale.Min < 0 || Scale.Max > 1 || Scale.Min > Scale.Max) throw new ArgumentException($"erasing scale must lie in [0, 1], got {Scale}");
        if (Ratio.Min <= 0 || Ratio.Min > Ratio.Max) throw new ArgumentException($"erasing ratio must be increasing and positive, got {Ratio}");
        if (value is { Length: not (1 or 3) }) throw new ArgumentException($"erasing value needs 1 or 3 numbers, got {value.Length}");
        Value = randomValue ? null : value ?? [0f];
    }

    /// <summary>Probability of erasing.</summary>
    public double Probability { get; }

    /// <summary>Range of the erased area as a fraction of the image.</summary>
    public ValueRange Scale { get; }

    /// <summary>Range of the erased rectangle's height / width.</summary>
    public ValueRange Ratio { get; }

    /// <summary>Fill (one value or one per channel); null for uniform noise.</summary>
    public float[]? Value { get; }

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random)
    {
        if (!random.Chance(Probability)) return image;
        if (SampleBox(image.Width, image.Height, random) is not { } box) return image;
        var result = image.Clone();
        int n = image.PlaneSize;
        for (int c = 0; c < 3; c++)
            for (int y = box.Top; y < box.Top + box.Height; y++)
            {
                var row = result.Data.AsSpan(c * n + y * image.Width + box.Left, box.Width);
                if (Value is { } value)
                    row.Fill(value[value.Length == 1 ? 0 : c]);
                else
                    for (int x = 0; x < row.Length; x++) row[x] = random.NextSingle();
            }
        return result;
    }

    /// <summary>The erased rectangle (left, top, width, height), or null when 10 attempts found none (the image is kept).</summary>
    public (int Left, int Top, int Width, int Height)? SampleBox(int width, int height, Random random)
    {
        double area = (double)width * height;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            var (h, w) = AreaRatioDraw.Draw(random, area, Scale, Ratio);
            if (!(h < height && w < width)) continue;
            int top = random.Next(height - h + 1);
            int left = random.Next(width - w + 1);
            return (left, top, w, h);
        }
        return null;
    }

    /// <inheritdoc/>
    public string Describe() => SpecFormat.Call("erasing", ("p", SpecFormat.Number(Probability)), ("scale", Scale.ToString()),
        ("ratio", Ratio.ToString()),
        ("value", Value is null ? "random" : Value.Length == 1 ? SpecFormat.Number(Value[0]) : SpecFormat.List([.. Value.Select(v => (double)v)])));
}
