namespace MLPipelines.Imaging.Augmentation;

/// <summary>Mirrors the image left–right with probability <paramref name="probability"/> (torchvision's RandomHorizontalFlip).</summary>
public sealed class RandomHorizontalFlip(double probability = 0.5) : IImageAugmentation
{
    public double Probability { get; } = probability;

    public ImageTensor Apply(ImageTensor image, Random random) =>
        random.NextDouble() < Probability ? Flip(image) : image;

    public string Describe() => $"HorizontalFlip(p={Probability:g})";

    /// <summary>The mirror image.</summary>
    public static ImageTensor Flip(ImageTensor image)
    {
        var result = new ImageTensor(image.Width, image.Height);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < image.Height; y++)
            {
                int row = c * image.PlaneSize + y * image.Width;
                for (int x = 0; x < image.Width; x++)
                    result.Data[row + x] = image.Data[row + image.Width - 1 - x];
            }
        return result;
    }
}
