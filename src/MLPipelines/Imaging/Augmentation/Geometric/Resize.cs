namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision's Resize with antialiased bilinear resampling: a single <see cref="ShorterSide"/> scales the shorter side to
/// it keeping the aspect ratio (the longer side truncated, as torchvision); <see cref="Size"/> resizes to exactly that size.
/// </summary>
public sealed class Resize : IResizingAugmentation
{
    /// <summary>Resizes to exactly <paramref name="size"/>.</summary>
    public Resize(ImageSize size) => Size = CropSize.Checked(size, "resize");

    /// <summary>Scales the shorter side to <paramref name="shorterSide"/>.</summary>
    public Resize(int shorterSide) =>
        ShorterSide = shorterSide > 0 ? shorterSide : throw new ArgumentException($"resize size must be positive, got {shorterSide}");

    /// <summary>The exact output size, or null when <see cref="ShorterSide"/> is used.</summary>
    public ImageSize? Size { get; }

    /// <summary>The target of the shorter side, or null when <see cref="Size"/> is used.</summary>
    public int? ShorterSide { get; }

    /// <inheritdoc/>
    public ImageSize? FixedOutputSize => Size;

    /// <inheritdoc/>
    public ImageSize OutputSizeFor(ImageSize input)
    {
        if (Size is { } size) return size;
        int shorter = ShorterSide!.Value;
        return input.Width <= input.Height
            ? new ImageSize(shorter, (int)((double)shorter * input.Height / input.Width))
            : new ImageSize((int)((double)shorter * input.Width / input.Height), shorter);
    }

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random)
    {
        var output = OutputSizeFor(ImageSize.Of(image));
        return output == ImageSize.Of(image) ? image : AntialiasedResampler.Resize(image, output);
    }

    /// <inheritdoc/>
    public string Describe() =>
        SpecFormat.Call("resize", ("size", Size is { } size ? SpecFormat.List(size.Height, size.Width) : SpecFormat.Number(ShorterSide!.Value)));
}
