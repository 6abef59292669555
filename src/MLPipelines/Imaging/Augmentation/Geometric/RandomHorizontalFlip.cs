namespace MLPipelines.Imaging.Augmentation;

/// <summary>Mirrors the image left–right with probability <see cref="Probability"/> (torchvision's RandomHorizontalFlip).</summary>
public sealed class RandomHorizontalFlip(double probability = 0.5) : IImageAugmentation
{
    /// <summary>Probability of flipping.</summary>
    public double Probability { get; } = probability;

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random) =>
        random.Chance(Probability) ? Flip(image) : image;

    /// <inheritdoc/>
    public string Describe() => SpecFormat.Call("hflip", ("p", SpecFormat.Number(Probability)));

    /// <summary>The mirror image.</summary>
    public static ImageTensor Flip(ImageTensor image)
    {
        var result = new ImageTensor(image.Width, image.Height);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < image.Height; y++)
            {
                int row = c * image.PlaneSize + y * image.Width;
                image.Data.AsSpan(row, image.Width).CopyTo(result.Data.AsSpan(row, image.Width));
                result.Data.AsSpan(row, image.Width).Reverse();
            }
        return result;
    }
}
