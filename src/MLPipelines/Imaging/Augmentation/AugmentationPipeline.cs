namespace MLPipelines.Imaging.Augmentation;

/// <summary>Augmentations applied one after another (torchvision's <c>Compose</c>).</summary>
public sealed class AugmentationPipeline(IReadOnlyList<IImageAugmentation> steps) : IResizingAugmentation
{
    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<IImageAugmentation> Steps { get; } = steps;

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random)
    {
        foreach (var step in Steps)
            image = step.Apply(image, random);
        return image;
    }

    /// <summary>The steps in spec syntax, separated by commas; "none" when there are none.</summary>
    public string Describe() => Steps.Count == 0 ? "none" : string.Join(", ", Steps.Select(s => s.Describe()));

    /// <summary>True when every step keeps the image size.</summary>
    public bool PreservesSize => Steps.All(Preserves);

    /// <inheritdoc/>
    public ImageSize OutputSizeFor(ImageSize input) =>
        Steps.OfType<IResizingAugmentation>().Aggregate(input, (size, step) => step.OutputSizeFor(size));

    /// <summary>The size set by the last size-changing step when that size does not depend on the input; null otherwise.</summary>
    public ImageSize? FixedOutputSize =>
        Steps.LastOrDefault(s => !Preserves(s)) is IResizingAugmentation last ? last.FixedOutputSize : null;

    /// <summary>A generator for image <paramref name="imageKey"/>'s copy <paramref name="copy"/>, independent of thread order.</summary>
    public static Random SeededFor(int seed, string imageKey, int copy) =>
        new(Data.StratifiedSplit.ClassSeed(seed, $"{imageKey}#{copy}"));

    private static bool Preserves(IImageAugmentation step) => step is not IResizingAugmentation resizing || resizing.PreservesSize;
}
