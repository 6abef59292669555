namespace MLPipelines.Imaging.Augmentation;

/// <summary>Augmentations applied one after another (torchvision's <c>Compose</c>).</summary>
public sealed class AugmentationPipeline(IReadOnlyList<IImageAugmentation> steps) : IImageAugmentation
{
    public IReadOnlyList<IImageAugmentation> Steps { get; } = steps;

    public ImageTensor Apply(ImageTensor image, Random random)
    {
        foreach (var step in Steps)
            image = step.Apply(image, random);
        return image;
    }

    public string Describe() => Steps.Count == 0 ? "none" : string.Join(" → ", Steps.Select(s => s.Describe()));

    /// <summary>A generator for image <paramref name="imageKey"/>'s copy <paramref name="copy"/>, independent of thread order.</summary>
    public static Random SeededFor(int seed, string imageKey, int copy) =>
        new(Data.StratifiedSplit.ClassSeed(seed, $"{imageKey}#{copy}"));
}
