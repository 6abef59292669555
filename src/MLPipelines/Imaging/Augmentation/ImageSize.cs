namespace MLPipelines.Imaging.Augmentation;

/// <summary>An image size in pixels.</summary>
public readonly record struct ImageSize(int Width, int Height)
{
    /// <summary>A square size.</summary>
    public static ImageSize Square(int side) => new(side, side);

    /// <summary>The size of <paramref name="image"/>.</summary>
    public static ImageSize Of(ImageTensor image) => new(image.Width, image.Height);

    /// <inheritdoc/>
    public override string ToString() => $"{Width}×{Height}";
}
