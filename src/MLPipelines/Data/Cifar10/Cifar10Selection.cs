namespace MLPipelines.Data.Cifar10;

/// <summary>Which CIFAR-10 images to read: a split, optionally a subset of classes (in a chosen label order) and a cap per class.</summary>
public sealed class Cifar10Selection
{
    /// <summary>"train" (50,000 images) or "test" (10,000). Default: train.</summary>
    public string Split { get; init; } = "train";

    /// <summary>
    /// Class names to keep; their order defines the new labels (e.g. [automobile, truck, cat] → 0, 1, 2). Default: all ten,
    /// in the standard order.
    /// </summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>
    /// Keep at most this many images of each class: the first ones in the original order. A dictionary by class name
    /// (e.g. automobile 4949, truck 449, cat 227), or <see cref="MaxPerClass"/> for all. Default: no cap.
    /// </summary>
    public IReadOnlyDictionary<string, int>? MaxPerClassByName { get; init; }

    /// <summary>Keep at most this many images of every class (the first ones in the original order). Default: no cap.</summary>
    public int? MaxPerClass { get; init; }

    internal int? CapFor(string className) =>
        MaxPerClassByName is not null && MaxPerClassByName.TryGetValue(className, out int cap) ? cap : MaxPerClass;
}
