using System.Text;

namespace MLPipelines.Data;

/// <summary>
/// Deterministic stratified splitting. Each class is sorted by path, shuffled with a seed derived from (seed, class name),
/// and the first round(fraction × count) items are taken (half away from zero; at least one item on each side when the class
/// has two or more). The same seed gives the same split on every machine, and adding a class never changes another's split.
/// </summary>
public static class StratifiedSplit
{
    /// <summary>Splits a dataset into train, validation and test sets.</summary>
    public static DatasetSplit Create(ImageFolderDataset dataset, SplitOptions options) =>
        Create(dataset.Images, dataset.Classes, options);

    /// <summary>Splits labelled images into train, validation and test sets.</summary>
    public static DatasetSplit Create(IReadOnlyList<LabeledImage> images, IReadOnlyList<string> classes, SplitOptions options)
    {
        options.Validate();
        var (trainAll, test) = options.TestFraction is double testFraction
            ? Swap(Take(images, i => i.Label, i => i.Path, testFraction, options.Seed))
            : Take(images, i => i.Label, i => i.Path, options.TrainFraction, options.Seed);
        if (options.MaxTrainPerClass is int maxTrain)
            trainAll = Cap(trainAll, maxTrain);
        if (options.MaxTestPerClass is int maxTest)
            test = Cap(test, maxTest);
        var (validation, train) = options.ValidationFraction > 0
            ? Take(trainAll, i => i.Label, i => i.Path, options.ValidationFraction, options.Seed + 1)
            : ([], trainAll);
        return new DatasetSplit(classes, Sorted(train), Sorted(validation), Sorted(test));
    }

    /// <summary>
    /// Takes round(<paramref name="fraction"/> × n) items of every class; returns (taken, remaining), each grouped by class in
    /// shuffled order.
    /// </summary>
    public static (List<T> Taken, List<T> Remaining) Take<T>(IEnumerable<T> items, Func<T, string> classOf, Func<T, string> sortKey,
        double fraction, int seed)
    {
        var taken = new List<T>();
        var rest = new List<T>();
        foreach (var group in items.GroupBy(classOf).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.OrderBy(sortKey, StringComparer.Ordinal).ToList();
            Shuffle(members, new Random(ClassSeed(seed, group.Key)));
            int count = CountFor(members.Count, fraction);
            taken.AddRange(members.Take(count));
            rest.AddRange(members.Skip(count));
        }
        return (taken, rest);
    }

    /// <summary>round(fraction × n), half away from zero, kept within [1, n − 1] when n ≥ 2 and 0 &lt; fraction &lt; 1.</summary>
    public static int CountFor(int classSize, double fraction)
    {
        int count = (int)Math.Round(fraction * classSize, MidpointRounding.AwayFromZero);
        if (classSize >= 2 && fraction > 0 && fraction < 1)
            count = Math.Clamp(count, 1, classSize - 1);
        return Math.Clamp(count, 0, classSize);
    }

    /// <summary>A seed for one class that depends only on the run seed and the class name (FNV-1a of the UTF-8 name).</summary>
    public static int ClassSeed(int seed, string className)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(className))
            hash = (hash ^ b) * 16777619;
        return (int)(hash ^ (uint)seed * 2654435761u);
    }

    private static (List<T>, List<T>) Swap<T>((List<T> Taken, List<T> Remaining) parts) => (parts.Remaining, parts.Taken);

    private static void Shuffle<T>(IList<T> list, Random random)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    // Keeps the first items of each class (already in shuffled order), so a cap is a seeded random subset.
    private static List<LabeledImage> Cap(List<LabeledImage> items, int maxPerClass) =>
        items.GroupBy(i => i.Label).SelectMany(g => g.Take(maxPerClass)).ToList();

    private static List<LabeledImage> Sorted(List<LabeledImage> items) =>
        items.OrderBy(i => i.Label, StringComparer.Ordinal).ThenBy(i => i.Path, StringComparer.Ordinal).ToList();
}
