namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// A random change of a whole training batch that mixes images and therefore labels (mixup, cutmix, collage).
/// The result carries soft targets: one probability row per image, summing to 1.
/// Implementations draw every random number from <c>random</c>, so a seeded generator per batch reproduces the batch.
/// </summary>
public interface IBatchAugmentation
{
    /// <summary>Mixes <paramref name="images"/> (all the same size) whose class indices are <paramref name="labels"/>.</summary>
    SoftTargetBatch Apply(IReadOnlyList<ImageTensor> images, IReadOnlyList<int> labels, int classCount, Random random);

    /// <summary>Settings as text, for reports and cache keys (e.g. "Mixup(alpha=0.4)").</summary>
    string Describe();
}
