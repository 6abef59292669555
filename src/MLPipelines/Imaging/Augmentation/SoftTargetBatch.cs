namespace MLPipelines.Imaging.Augmentation;

/// <summary>A batch of images with one target distribution per image (row-major [images × classes], rows sum to 1).</summary>
public sealed class SoftTargetBatch
{
    /// <summary>Creates a batch; <paramref name="targets"/> has <c>images.Count × classCount</c> entries.</summary>
    public SoftTargetBatch(IReadOnlyList<ImageTensor> images, float[] targets, int classCount)
    {
        if (targets.Length != images.Count * classCount)
            throw new ArgumentException($"targets has {targets.Length} values; expected {images.Count} images × {classCount} classes");
        Images = images;
        Targets = targets;
        ClassCount = classCount;
    }

    /// <summary>The (possibly mixed) images.</summary>
    public IReadOnlyList<ImageTensor> Images { get; }

    /// <summary>Target probabilities, row-major [image, class].</summary>
    public float[] Targets { get; }

    /// <summary>Number of classes (columns of <see cref="Targets"/>).</summary>
    public int ClassCount { get; }

    /// <summary>One-hot targets for unmixed images.</summary>
    public static SoftTargetBatch OneHot(IReadOnlyList<ImageTensor> images, IReadOnlyList<int> labels, int classCount)
    {
        var targets = new float[images.Count * classCount];
        for (var i = 0; i < labels.Count; i++)
            targets[i * classCount + labels[i]] = 1f;
        return new SoftTargetBatch(images, targets, classCount);
    }
}
