namespace MLPipelines.Imaging.Augmentation;

/// <summary>One of several batch augmentations, chosen uniformly per batch (torchvision's <c>RandomChoice([CutMix, MixUp])</c>).</summary>
public sealed class RandomBatchChoice : IBatchAugmentation
{
    /// <summary>Creates the choice; needs at least one option.</summary>
    public RandomBatchChoice(IReadOnlyList<IBatchAugmentation> options) =>
        Options = options.Count > 0 ? options : throw new ArgumentException("a batch augmentation choice needs at least one option");

    /// <summary>The options.</summary>
    public IReadOnlyList<IBatchAugmentation> Options { get; }

    /// <inheritdoc/>
    public SoftTargetBatch Apply(IReadOnlyList<ImageTensor> images, IReadOnlyList<int> labels, int classCount, Random random) =>
        Options[Options.Count == 1 ? 0 : random.Next(Options.Count)].Apply(images, labels, classCount, random);

    /// <inheritdoc/>
    public string Describe() => string.Join(", ", Options.Select(o => o.Describe()));
}
