namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// An augmentation whose output size can differ from its input size (crop, resize). Every other augmentation keeps the size,
/// which lets <see cref="AugmentationSpec"/> tell consumers (e.g. frozen features computed at the model size) what comes out.
/// </summary>
public interface IResizingAugmentation : IImageAugmentation
{
    /// <summary>The output size for an input of size <paramref name="input"/>.</summary>
    ImageSize OutputSizeFor(ImageSize input);

    /// <summary>The output size when it does not depend on the input (e.g. a 200×200 crop); null otherwise.</summary>
    ImageSize? FixedOutputSize { get; }

    /// <summary>True when this instance keeps the input size after all (e.g. a resized crop back to the input size).</summary>
    bool PreservesSize => false;
}
