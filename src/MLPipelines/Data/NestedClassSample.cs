namespace MLPipelines.Data;

/// <summary>
/// Seeded per-class subsamples that are nested: for one seed, the s images drawn per class are the first s of a fixed random
/// order of that class, so the set for s is contained in the set for every larger s (the few-shot protocol).
/// </summary>
public sealed class NestedClassSample
{
    private readonly int[][] _orderPerClass;

    /// <summary>Shuffles the indices of each class of <paramref name="labels"/> with <paramref name="seed"/>.</summary>
    public NestedClassSample(IReadOnlyList<int> labels, int classCount, int seed)
    {
        var perClass = Enumerable.Range(0, classCount).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] < 0 || labels[i] >= classCount)
                throw new ArgumentException($"label {labels[i]} of item {i} is outside 0..{classCount - 1}");
            perClass[labels[i]].Add(i);
        }
        var random = new Random(seed);
        _orderPerClass = [.. perClass.Select(list =>
        {
            var order = list.ToArray();
            random.Shuffle(order);
            return order;
        })];
    }

    /// <summary>The smallest class size: the largest s every class can give.</summary>
    public int MaxPerClass => _orderPerClass.Min(o => o.Length);

    /// <summary>Indices of <paramref name="perClass"/> items of every class, class by class (class 0's first).</summary>
    public int[] Take(int perClass)
    {
        if (perClass < 1 || perClass > MaxPerClass)
            throw new ArgumentException($"cannot take {perClass} per class; the smallest class has {MaxPerClass}");
        return [.. _orderPerClass.SelectMany(order => order.Take(perClass))];
    }
}
