using System.Collections;
using MLPipelines.Imaging;

namespace MLPipelines.Torch.Training;

/// <summary>
/// The images of a <see cref="DecodedImageSet"/> as a read-only list of tensors, stored as <see cref="StoredImage"/>s: 8-bit
/// bytes when lossless (every decoded file), so a training set takes a quarter of the memory float tensors would (PACS
/// cartoon's 2344 images at 224×224: 0.35 GB instead of 1.4 GB). Indexing and enumeration build a fresh float tensor each
/// time, with exactly the stored values: callers may change it without touching the list, and the background
/// <see cref="BatchLoader"/> and parallel loops may read concurrently, since nothing here is ever written after construction.
/// Reading an image twice therefore gives two tensors; keep one if you need it again.
/// </summary>
internal sealed class CompactImageList : IReadOnlyList<ImageTensor>
{
    private readonly StoredImage[] _images;

    /// <summary>A list of <paramref name="images"/>, shared with the caller (who must not change the array afterwards).</summary>
    public CompactImageList(StoredImage[] images) => _images = images;

    /// <summary>The stored images, e.g. to share them with another list without copying pixels.</summary>
    public IReadOnlyList<StoredImage> Stored => _images;

    public int Count => _images.Length;

    /// <summary>A new tensor of image <paramref name="index"/>.</summary>
    public ImageTensor this[int index] => _images[index].Read();

    /// <summary>These images followed by <paramref name="other"/>'s, sharing the stored pixels.</summary>
    public CompactImageList Concat(CompactImageList other) => new([.. _images, .. other._images]);

    /// <summary>The images at <paramref name="indices"/>, sharing the stored pixels.</summary>
    public CompactImageList Subset(IReadOnlyList<int> indices)
    {
        var picked = new StoredImage[indices.Count];
        for (int i = 0; i < picked.Length; i++) picked[i] = _images[indices[i]];
        return new CompactImageList(picked);
    }

    public IEnumerator<ImageTensor> GetEnumerator()
    {
        foreach (var image in _images) yield return image.Read();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
