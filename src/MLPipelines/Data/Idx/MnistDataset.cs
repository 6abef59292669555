using MLPipelines.Catalog;

namespace MLPipelines.Data.Idx;

/// <summary>
/// An idx-format dataset of the catalog (<c>mnist</c>, <c>fashion-mnist</c>): the training and test images with their labels,
/// checked against each other (same counts, labels inside the class list, 3-D image files).
/// </summary>
public sealed class MnistDataset
{
    private MnistDataset(string name, IReadOnlyList<string> classes, GrayImageSet train, GrayImageSet test)
    {
        Name = name;
        Classes = classes;
        Train = train;
        Test = test;
    }

    /// <summary>Catalog name.</summary>
    public string Name { get; }

    /// <summary>Class names in label order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The training split (60,000 images for MNIST and Fashion-MNIST).</summary>
    public GrayImageSet Train { get; }

    /// <summary>The test split (10,000 images).</summary>
    public GrayImageSet Test { get; }

    /// <summary>Loads catalog dataset <paramref name="name"/>, locating (and verifying) its four files with <paramref name="assets"/>.</summary>
    public static MnistDataset Load(string name, AssetLocator assets, DatasetCatalog? catalog = null)
    {
        var card = (catalog ?? DatasetCatalog.BuiltIn).Get(name);
        if (card.Kind != DatasetKind.Idx)
            throw new DataException($"dataset '{card.Name}' is stored as {card.Kind}, not as idx files");
        string Locate(string role) => assets.LocateFile(AssetKind.Datasets, card.FileFor(role), $"dataset '{card.Name}' {role}");
        return FromFiles(card.Name, card.Classes, Locate("train-images"), Locate("train-labels"), Locate("test-images"), Locate("test-labels"));
    }

    /// <summary>Loads a dataset from four idx files (gzip-compressed or plain).</summary>
    public static MnistDataset FromFiles(string name, IReadOnlyList<string> classes, string trainImages, string trainLabels,
        string testImages, string testLabels) =>
        new(name, classes, ReadSet($"{name} train", trainImages, trainLabels, classes.Count),
            ReadSet($"{name} test", testImages, testLabels, classes.Count));

    /// <summary>Reads one split: an images file [n, height, width] and a labels file [n] with values below <paramref name="classCount"/>.</summary>
    public static GrayImageSet ReadSet(string name, string imagesPath, string labelsPath, int classCount)
    {
        var images = IdxReader.Read(imagesPath);
        if (images.Dimensions.Count != 3)
            throw new DataException($"{imagesPath}: an images file needs 3 dimensions (count, height, width), found {images.Dimensions.Count}");
        var labels = IdxReader.Read(labelsPath);
        if (labels.Dimensions.Count != 1)
            throw new DataException($"{labelsPath}: a labels file needs 1 dimension, found {labels.Dimensions.Count}");
        if (labels.Count != images.Count)
            throw new DataException($"{labelsPath}: {labels.Count} labels but {imagesPath} has {images.Count} images");
        int bad = Array.FindIndex(labels.Data, l => l >= classCount);
        if (bad >= 0)
            throw new DataException($"{labelsPath}: label {labels.Data[bad]} of item {bad} is outside 0..{classCount - 1}");
        return new GrayImageSet(name, images.Dimensions[2], images.Dimensions[1], images.Data, labels.Data);
    }
}
