namespace MLPipelines.Imaging.Augmentation;

/// <summary>Mirrors the image top–bottom with probability <see cref="Probability"/> (torchvision's RandomVerticalFlip).</summary>
public sealed class RandomVerticalFlip(double probability = 0.5) : IImageAugmentation
{
    /// <summary>Probability of flipping.</summary>
    public double Probability { get; } = probability;

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random) =>
        random.Chance(Probability) ? Flip(image) : image;

    /// <inheritdoc/>
    public string Describe() => SpecFormat.Call("vflip", ("p", SpecFormat.Number(Probability)));

    /// <summary>The image upside down.</summary>
    public static ImageTensor Flip(ImageTensor image)
    {
        var result = new ImageTensor(image.Width, image.Height);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < image.Height; y++)
                image.Data.AsSpan(c * image.PlaneSize + y * image.Width, image.Width)
                    .CopyTo(result.Data.AsSpan(c * image.PlaneSize + (image.Height - 1 - y) * image.Width, image.Width));
        return result;
    }
}
