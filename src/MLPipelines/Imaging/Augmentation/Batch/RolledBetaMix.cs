namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// What torchvision v2's MixUp and CutMix share: with probability <see cref="Probability"/> per batch, one λ ~ Beta(α, α)
/// for the whole batch, every image mixed with image i − 1 (<c>roll(1)</c>) and its target weighted by the share each keeps.
/// </summary>
public abstract class RolledBetaMix : IBatchAugmentation
{
    /// <summary>Checks and stores the settings; <paramref name="name"/> is the spec name used in errors and descriptions.</summary>
    protected RolledBetaMix(string name, double alpha, double probability)
    {
        Name = name;
        Alpha = alpha > 0 ? alpha : throw new ArgumentException($"{name} alpha must be positive, got {alpha}");
        Probability = probability is >= 0 and <= 1 ? probability : throw new ArgumentException($"{name} p must be in [0, 1], got {probability}");
    }

    /// <summary>The spec name (mixup, cutmix).</summary>
    public string Name { get; }

    /// <summary>Beta concentration α (small α: λ near 0 or 1).</summary>
    public double Alpha { get; }

    /// <summary>Probability that a batch is mixed.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public SoftTargetBatch Apply(IReadOnlyList<ImageTensor> images, IReadOnlyList<int> labels, int classCount, Random random)
    {
        BatchMixing.Validate(images, labels, classCount, Name);
        if (!random.Chance(Probability)) return SoftTargetBatch.OneHot(images, labels, classCount);
        double lambda = BetaSampler.Beta(random, Alpha, Alpha);
        var partner = BatchMixing.Rolled(images.Count);
        var (mixed, kept) = Mix(images, partner, lambda, random);
        var weights = Enumerable.Repeat(kept, images.Count).ToArray();
        return new SoftTargetBatch(mixed, BatchMixing.Targets(labels, partner, weights, classCount), classCount);
    }

    /// <summary>Mixes each image with <paramref name="partner"/>[i]; returns the images and the share each keeps of itself.</summary>
    protected abstract (ImageTensor[] Images, double Kept) Mix(IReadOnlyList<ImageTensor> images, int[] partner, double lambda, Random random);

    /// <inheritdoc/>
    public string Describe() => SpecFormat.Call(Name, ("alpha", SpecFormat.Number(Alpha)), ("p", SpecFormat.Number(Probability)));
}
