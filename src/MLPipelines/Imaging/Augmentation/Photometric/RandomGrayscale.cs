namespace MLPipelines.Imaging.Augmentation;

/// <summary>torchvision's RandomGrayscale: with probability <see cref="Probability"/>, all three channels become the gray level.</summary>
public sealed class RandomGrayscale(double probability = 0.1) : IImageAugmentation
{
    /// <summary>Probability of converting.</summary>
    public double Probability { get; } = probability;

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random) =>
        random.Chance(Probability) ? ColorAdjustments.Grayscale(image) : image;

    /// <inheritdoc/>
    public string Describe() => SpecFormat.Call("grayscale", ("p", SpecFormat.Number(Probability)));
}
