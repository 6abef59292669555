using MLPipelines.Imaging;

namespace MLPipelines.Features;

/// <summary>
/// One feature vector to compute: an image, and optionally a named, deterministic change of its pixels (an augmented copy).
/// </summary>
/// <param name="ImagePath">The image file.</param>
/// <param name="Variant">Empty for the image itself; otherwise a name that identifies the change in the cache (e.g. "aug3-1f2e…").</param>
/// <param name="Change">Changes the resized [0,1] pixels; must be deterministic for a given variant.</param>
public sealed record FeatureRequest(string ImagePath, string Variant = "", Func<ImageTensor, ImageTensor>? Change = null);
