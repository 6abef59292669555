namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// A random change of one training image. Implementations draw every random number from <c>random</c> (never a shared
/// generator), so a seeded generator per image gives the same result on every run and thread.
/// </summary>
public interface IImageAugmentation
{
    /// <summary>Returns the changed image (a new tensor, or <paramref name="image"/> itself when unchanged).</summary>
    ImageTensor Apply(ImageTensor image, Random random);

    /// <summary>Settings as text, for reports and cache keys (e.g. "HorizontalFlip(p=0.5)").</summary>
    string Describe();
}
