namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision v2's MixUp (Zhang et al., 2018): with probability <see cref="Probability"/> per batch, one λ ~ Beta(α, α)
/// and every image becomes λ · x_i + (1 − λ) · x_(i−1) with targets mixed by the same λ (pairing by <c>roll(1)</c>).
/// </summary>
public sealed class Mixup(double alpha = 1.0, double probability = 1.0) : IBatchAugmentation
{
    /// <summary>Beta concentration α (small α: λ near 0 or 1).</summary>
    public double Alpha { get; } = alpha > 0 ? alpha : throw new ArgumentException($"mixup alpha must be positive, got {alpha}");

    /// <summary>Probability that a batch is mixed.</summary>
    public double Probability { get; } = probability;

    /// <inheritdoc/>
    public SoftTargetBatch Apply(IReadOnlyList<ImageTensor> images, IReadOnlyList<int> labels, int classCount, Random random)
    {
        BatchMixing.Validate(images, labels, classCount, "mixup");
        if (!random.Chance(Probability)) return SoftTargetBatch.OneHot(images, labels, classCount);
        double lambda = BetaSampler.Beta(random, Alpha, Alpha);
        var partner = BatchMixing.Rolled(images.Count);
        float own = (float)lambda, other = (float)(1 - lambda);
        var mixed = new ImageTensor[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            var a = images[i].Data;
            var b = images[partner[i]].Data;
            var result = new ImageTensor(images[i].Width, images[i].Height);
            for (int k = 0; k < a.Length; k++) result.Data[k] = own * a[k] + other * b[k];
            mixed[i] = result;
        }
        var weights = Enumerable.Repeat(lambda, images.Count).ToArray();
        return new SoftTargetBatch(mixed, BatchMixing.Targets(labels, partner, weights, classCount), classCount);
    }

    /// <inheritdoc/>
    public string Describe() => SpecFormat.Call("mixup", ("alpha", SpecFormat.Number(Alpha)), ("p", SpecFormat.Number(Probability)));
}
