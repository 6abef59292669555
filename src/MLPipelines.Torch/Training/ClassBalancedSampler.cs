namespace MLPipelines.Torch.Training;

/// <summary>
/// Draws an epoch's sample order with replacement, each image with probability ∝ 1 / (images of its class), so every class
/// is equally likely in every batch (PyTorch's WeightedRandomSampler with inverse class frequencies). Seeded per epoch.
/// </summary>
public sealed class ClassBalancedSampler
{
    private readonly double[] _cumulative;

    /// <summary>A sampler over images whose class indices are <paramref name="labels"/>.</summary>
    public ClassBalancedSampler(IReadOnlyList<int> labels)
    {
        if (labels.Count == 0) throw new ArgumentException("the balanced sampler needs at least one image");
        var counts = labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        _cumulative = new double[labels.Count];
        double total = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            total += 1.0 / counts[labels[i]];
            _cumulative[i] = total;
        }
        for (int i = 0; i < _cumulative.Length; i++) _cumulative[i] /= total;
    }

    /// <summary><paramref name="count"/> image indices drawn with replacement from <paramref name="random"/>.</summary>
    public int[] Draw(int count, Random random)
    {
        var result = new int[count];
        for (int i = 0; i < count; i++)
        {
            int index = Array.BinarySearch(_cumulative, random.NextDouble());
            result[i] = Math.Min(index < 0 ? ~index : index + 1, _cumulative.Length - 1);
        }
        return result;
    }
}
