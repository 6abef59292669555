namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision v2's RandomResizedCrop: up to 10 attempts draw an area fraction uniform in <see cref="Scale"/> and an aspect
/// ratio (width/height) log-uniform in <see cref="Ratio"/>; the first box that fits is placed uniformly (top, then left);
/// otherwise the centre crop with the ratio clamped to the range. The box is resized to <see cref="Size"/> (the input size
/// when null) with antialiased bilinear resampling, torchvision v2's default.
/// </summary>
public sealed class RandomResizedCrop : IResizingAugmentation
{
    /// <summary>Creates the transform; defaults are torchvision's (scale [0.08, 1], ratio [3/4, 4/3]).</summary>
    public RandomResizedCrop(ImageSize? size = null, ValueRange? scale = null, ValueRange? ratio = null)
    {
        Size = size is { } s ? CropSize.Checked(s, "resized-crop") : null;
        Scale = scale ?? new ValueRange(0.08, 1.0);
        Ratio = ratio ?? new ValueRange(3.0 / 4, 4.0 / 3);
        if (Scale.Min <= 0 || Scale.Min > Scale.Max) throw new ArgumentException($"resized-crop scale must be increasing and positive, got {Scale}");
        if (Ratio.Min <= 0 || Ratio.Min > Ratio.Max) throw new ArgumentException($"resized-crop ratio must be increasing and positive, got {Ratio}");
    }

    /// <summary>Output size; null keeps the input size.</summary>
    public ImageSize? Size { get; }

    /// <summary>Range of the crop's area as a fraction of the image area.</summary>
    public ValueRange Scale { get; }

    /// <summary>Range of the crop's aspect ratio, width / height.</summary>
    public ValueRange Ratio { get; }

    /// <inheritdoc/>
    public ImageSize? FixedOutputSize => Size;

    /// <summary>True when no output size is set: the crop is resized back to the input size.</summary>
    public bool PreservesSize => Size is null;

    /// <inheritdoc/>
    public ImageSize OutputSizeFor(ImageSize input) => Size ?? input;

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random)
    {
        var (left, top, width, height) = SampleBox(image.Width, image.Height, random);
        return AntialiasedResampler.ResizeRegion(image, left, top, width, height, OutputSizeFor(ImageSize.Of(image)));
    }

    /// <inheritdoc/>
    public string Describe()
    {
        var arguments = new List<(string, string)>();
        if (Size is { } size) arguments.Add(("size", CropSize.Format(size)));
        arguments.Add(("scale", Scale.ToString()));
        arguments.Add(("ratio", Ratio.ToString()));
        return SpecFormat.Call("resized-crop", [.. arguments]);
    }

    /// <summary>The crop box (left, top, width, height) in whole pixels, exactly as torchvision's <c>get_params</c>.</summary>
    public (int Left, int Top, int Width, int Height) SampleBox(int imageWidth, int imageHeight, Random random)
    {
        double area = (double)imageWidth * imageHeight;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            var (w, h) = AreaRatioDraw.Draw(random, area, Scale, Ratio);
            if (w > 0 && h > 0 && w <= imageWidth && h <= imageHeight)
            {
                int top = random.Next(imageHeight - h + 1);
                int left = random.Next(imageWidth - w + 1);
                return (left, top, w, h);
            }
        }
        double imageRatio = (double)imageWidth / imageHeight;
        int cw, ch;
        if (imageRatio < Ratio.Min) { cw = imageWidth; ch = (int)Math.Round(cw / Ratio.Min); }
        else if (imageRatio > Ratio.Max) { ch = imageHeight; cw = (int)Math.Round(ch * Ratio.Max); }
        else { cw = imageWidth; ch = imageHeight; }
        return ((imageWidth - cw) / 2, (imageHeight - ch) / 2, cw, ch);
    }
}
