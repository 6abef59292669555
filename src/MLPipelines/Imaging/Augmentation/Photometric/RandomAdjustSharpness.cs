namespace MLPipelines.Imaging.Augmentation;

/// <summary>torchvision's RandomAdjustSharpness: with probability <see cref="Probability"/>, <see cref="ColorAdjustments.Sharpness"/> by <see cref="Factor"/>.</summary>
public sealed class RandomAdjustSharpness(double factor, double probability = 0.5) : IImageAugmentation
{
    /// <summary>Sharpness factor: 0 blurs, 1 keeps, 2 doubles the sharpness.</summary>
    public double Factor { get; } = factor >= 0 ? factor : throw new ArgumentException($"sharpness factor must not be negative, got {factor}");

    /// <summary>Probability of applying.</summary>
    public double Probability { get; } = probability;

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random) =>
        random.Chance(Probability) ? ColorAdjustments.Sharpness(image, Factor) : image;

    /// <inheritdoc/>
    public string Describe() => SpecFormat.Call("sharpness", ("factor", SpecFormat.Number(Factor)), ("p", SpecFormat.Number(Probability)));
}
