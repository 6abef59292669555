namespace MLPipelines.Imaging.Augmentation;

/// <summary>Parsing helpers shared by the cropping and resizing transforms.</summary>
internal static class CropSize
{
    public static ImageSize Checked(ImageSize size, string transform) =>
        size.Width > 0 && size.Height > 0 ? size : throw new ArgumentException($"{transform} size must be positive, got {size}");

    /// <summary>The size as spec text: one number when square, else [height, width] (torchvision's order).</summary>
    public static string Format(ImageSize size) =>
        size.Width == size.Height ? SpecFormat.Number(size.Width) : SpecFormat.List(size.Height, size.Width);
}
