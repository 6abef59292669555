namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision's CenterCrop: the centre window of <see cref="Size"/> (offsets rounded half to even, as Python's round);
/// an image smaller than the crop is first padded with zeros.
/// </summary>
public sealed class CenterCrop(ImageSize size) : IResizingAugmentation
{
    /// <summary>Output size.</summary>
    public ImageSize Size { get; } = CropSize.Checked(size, "center-crop");

    /// <inheritdoc/>
    public ImageSize? FixedOutputSize => Size;

    /// <inheritdoc/>
    public ImageSize OutputSizeFor(ImageSize input) => Size;

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random) => Crop(image, Size);

    /// <inheritdoc/>
    public string Describe() => SpecFormat.Call("center-crop", ("size", CropSize.Format(Size)));

    /// <summary>The centre <paramref name="size"/> window of <paramref name="image"/>.</summary>
    public static ImageTensor Crop(ImageTensor image, ImageSize size)
    {
        if (size == ImageSize.Of(image)) return image;
        // Too small: torchvision pads (w − iw) // 2 on the left/top, then crops the rest from the padded image.
        int padLeft = size.Width > image.Width ? (size.Width - image.Width) / 2 : 0;
        int padTop = size.Height > image.Height ? (size.Height - image.Height) / 2 : 0;
        // Left + right padding add up to the shortfall, so the padded image is at least the crop size.
        int paddedWidth = Math.Max(image.Width, size.Width), paddedHeight = Math.Max(image.Height, size.Height);
        int top = (int)Math.Round((paddedHeight - size.Height) / 2.0);
        int left = (int)Math.Round((paddedWidth - size.Width) / 2.0);
        return ImagePadding.Window(image, left - padLeft, top - padTop, size.Width, size.Height, PaddingMode.Constant, 0f);
    }
}
