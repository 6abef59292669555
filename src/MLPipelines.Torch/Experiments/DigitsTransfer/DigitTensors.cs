using MLPipelines.Data.Idx;
using MLPipelines.Imaging;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Experiments.DigitsTransfer;

/// <summary>Batches of 28 × 28 grayscale images as float tensors [n, 1, H, W] with values in [0, 1].</summary>
internal static class DigitTensors
{
    /// <summary>The images at <paramref name="indices"/>.</summary>
    public static Tensor Images(GrayImageSet images, IReadOnlyList<int> indices) =>
        tensor(images.ToFloats(indices), [indices.Count, 1, images.Height, images.Width]);

    /// <summary>
    /// The red plane of augmented <see cref="ImageTensor"/>s: grayscale images travel through the RGB augmentations as three
    /// equal planes, and mixup and collage keep the planes equal, so one plane carries the whole image.
    /// </summary>
    public static Tensor FirstChannel(IReadOnlyList<ImageTensor> images)
    {
        int plane = images[0].PlaneSize;
        var data = new float[images.Count * plane];
        for (int i = 0; i < images.Count; i++)
            images[i].Data.AsSpan(0, plane).CopyTo(data.AsSpan(i * plane));
        return tensor(data, [images.Count, 1, images[0].Height, images[0].Width]);
    }
}
