using MLPipelines.Data.Cifar10;
using MLPipelines.Imaging;
using MLPipelines.Imaging.Augmentation;
using MLPipelines.Torch.Training;

namespace MLPipelines.Torch.Experiments.Cifar10ConvNet;

/// <summary>
/// The training, validation and test images of a run, decoded once from the JPEG archive and kept in memory at 32×32.
/// Per class, the first <c>train</c> images of the training split train and the next <c>validation</c> validate; the test
/// images are the first <c>test</c> of each class of the test split. Larger budgets therefore contain smaller ones.
/// </summary>
internal sealed class Cifar10Subsets
{
    private readonly Dictionary<int, (DecodedImageSet Train, DecodedImageSet Validation, DecodedImageSet Test)> _bySize = [];

    private Cifar10Subsets(IReadOnlyList<string> classes, DecodedImageSet train, DecodedImageSet validation, DecodedImageSet test)
    {
        Classes = classes;
        _bySize[Cifar10Set.Side] = (train, validation, test);
    }

    /// <summary>The ten class names.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Reads the subsets from <paramref name="archivePath"/>.</summary>
    public static Cifar10Subsets Read(string archivePath, int trainPerClass, int validationPerClass, int testPerClass,
        IProgress<ProgressUpdate>? progress = null)
    {
        var trainSplit = Cifar10Archive.Read(archivePath, new Cifar10Selection { MaxPerClass = trainPerClass + validationPerClass }, progress);
        var testSplit = Cifar10Archive.Read(archivePath, new Cifar10Selection { Split = "test", MaxPerClass = testPerClass }, progress);
        // The set is sorted by (label, number), so an image's rank within its class decides train or validation.
        var rank = new int[trainSplit.Count];
        for (int i = 1; i < trainSplit.Count; i++)
            rank[i] = trainSplit.Labels[i] == trainSplit.Labels[i - 1] ? rank[i - 1] + 1 : 0;
        var trainIndices = Enumerable.Range(0, trainSplit.Count).Where(i => rank[i] < trainPerClass).ToList();
        var validationIndices = Enumerable.Range(0, trainSplit.Count).Where(i => rank[i] >= trainPerClass).ToList();
        return new Cifar10Subsets(trainSplit.Classes, ToImageSet(trainSplit, trainIndices), ToImageSet(trainSplit, validationIndices),
            ToImageSet(testSplit, [.. Enumerable.Range(0, testSplit.Count)]));
    }

    /// <summary>The three sets at <paramref name="size"/>×<paramref name="size"/> (upsampled with antialiased bilinear resampling, cached).</summary>
    public (DecodedImageSet Train, DecodedImageSet Validation, DecodedImageSet Test) At(int size)
    {
        if (_bySize.TryGetValue(size, out var sets)) return sets;
        var native = _bySize[Cifar10Set.Side];
        var resized = (Resized(native.Train, size), Resized(native.Validation, size), Resized(native.Test, size));
        _bySize[size] = resized;
        return resized;
    }

    private static DecodedImageSet ToImageSet(Cifar10Set set, IReadOnlyList<int> indices) => DecodedImageSet.FromImages(
        [.. indices.Select(set.ToImageTensor)], [.. indices.Select(i => set.Labels[i])],
        [.. indices.Select(i => $"cifar10-jpg/{set.Split}/{set.Classes[set.Labels[i]]}/{set.Numbers[i]:D4}.jpg")]);

    private static DecodedImageSet Resized(DecodedImageSet images, int size)
    {
        var target = ImageSize.Square(size);
        var resized = new ImageTensor[images.Count];
        Parallel.For(0, images.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 },
            i => resized[i] = AntialiasedResampler.Resize(images.Images[i], target));
        return DecodedImageSet.FromImages(resized, images.Labels, images.Paths);
    }
}
