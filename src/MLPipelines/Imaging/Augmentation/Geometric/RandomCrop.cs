namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision v2's RandomCrop: pad by <see cref="Padding"/> (and, with <see cref="PadIfNeeded"/>, enough to fit the crop),
/// then cut a <see cref="Size"/> window at a uniform position (top drawn before left, as torchvision).
/// </summary>
public sealed class RandomCrop : IResizingAugmentation
{
    /// <summary>Creates the transform. <paramref name="padding"/> is (left, top, right, bottom) in pixels.</summary>
    public RandomCrop(ImageSize size, (int Left, int Top, int Right, int Bottom) padding = default, bool padIfNeeded = false,
        PaddingMode paddingMode = PaddingMode.Constant, float fill = 0f)
    {
        Size = CropSize.Checked(size, "crop");
        if (padding.Left < 0 || padding.Top < 0 || padding.Right < 0 || padding.Bottom < 0)
            throw new ArgumentException($"crop padding must not be negative, got {padding}");
        Padding = padding;
        PadIfNeeded = padIfNeeded;
        PaddingMode = paddingMode;
        Fill = fill;
    }

    /// <summary>Output size.</summary>
    public ImageSize Size { get; }

    /// <summary>Padding (left, top, right, bottom) added before cropping.</summary>
    public (int Left, int Top, int Right, int Bottom) Padding { get; }

    /// <summary>Pads images smaller than the crop instead of failing.</summary>
    public bool PadIfNeeded { get; }

    /// <summary>How padded pixels are made.</summary>
    public PaddingMode PaddingMode { get; }

    /// <summary>Value of constant padding.</summary>
    public float Fill { get; }

    /// <inheritdoc/>
    public ImageSize? FixedOutputSize => Size;

    /// <inheritdoc/>
    public ImageSize OutputSizeFor(ImageSize input) => Size;

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random)
    {
        var (padLeft, padTop, padRight, padBottom) = Padding;
        int paddedWidth = image.Width + padLeft + padRight, paddedHeight = image.Height + padTop + padBottom;
        if (PadIfNeeded && paddedHeight < Size.Height)
        {
            int diff = Size.Height - paddedHeight;
            padTop += diff;
            paddedHeight += 2 * diff;
        }
        if (PadIfNeeded && paddedWidth < Size.Width)
        {
            int diff = Size.Width - paddedWidth;
            padLeft += diff;
            paddedWidth += 2 * diff;
        }
        if (paddedWidth < Size.Width || paddedHeight < Size.Height)
            throw new ArgumentException($"crop {Size} is larger than the padded image {paddedWidth}×{paddedHeight}; add padding or pad-if-needed=true");
        int top = paddedHeight > Size.Height ? random.Next(paddedHeight - Size.Height + 1) : 0;
        int left = paddedWidth > Size.Width ? random.Next(paddedWidth - Size.Width + 1) : 0;
        return ImagePadding.Window(image, left - padLeft, top - padTop, Size.Width, Size.Height, PaddingMode, Fill);
    }

    /// <inheritdoc/>
    public string Describe()
    {
        var arguments = new List<(string, string)> { ("size", CropSize.Format(Size)) };
        if (Padding != default)
            arguments.Add(("padding", Padding.Left == Padding.Top && Padding.Top == Padding.Right && Padding.Right == Padding.Bottom
                ? SpecFormat.Number(Padding.Left)
                : SpecFormat.List(Padding.Left, Padding.Top, Padding.Right, Padding.Bottom)));
        if (PadIfNeeded) arguments.Add(("pad-if-needed", "true"));
        if (Padding != default || PadIfNeeded)
        {
            arguments.Add(("padding-mode", SpecFormat.Word(PaddingMode)));
            arguments.Add(("fill", SpecFormat.Number(Fill)));
        }
        return SpecFormat.Call("crop", [.. arguments]);
    }
}
