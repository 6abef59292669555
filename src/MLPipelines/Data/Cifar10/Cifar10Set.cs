using MLPipelines.Imaging;

namespace MLPipelines.Data.Cifar10;

/// <summary>
/// Decoded CIFAR-10 images of one split: planar RGB bytes (3 × 32 × 32 per image, one image after another), labels indexing
/// <see cref="Classes"/>, and each image's number in its class folder of the archive (its position in the original order).
/// Images are sorted by label, then by number.
/// </summary>
public sealed class Cifar10Set
{
    /// <summary>Image side in pixels.</summary>
    public const int Side = 32;

    /// <summary>Bytes per image.</summary>
    public const int ImageBytes = 3 * Side * Side;

    internal Cifar10Set(string split, IReadOnlyList<string> classes, byte[] pixels, int[] labels, int[] numbers)
    {
        Split = split;
        Classes = classes;
        Pixels = pixels;
        Labels = labels;
        Numbers = numbers;
    }

    /// <summary>"train" or "test".</summary>
    public string Split { get; }

    /// <summary>The selected class names; label i is Classes[i].</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Planar RGB bytes of all images.</summary>
    public byte[] Pixels { get; }

    /// <summary>Label of each image.</summary>
    public int[] Labels { get; }

    /// <summary>Each image's file number in its class folder (<c>NNNN.jpg</c>), i.e. its rank in the original order of that class.</summary>
    public int[] Numbers { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The planar RGB bytes of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageBytes, ImageBytes);

    /// <summary>Image <paramref name="index"/> as an <see cref="ImageTensor"/> (values in [0, 1]).</summary>
    public ImageTensor ToImageTensor(int index)
    {
        var tensor = new ImageTensor(Side, Side);
        var image = Image(index);
        for (int p = 0; p < image.Length; p++)
            tensor.Data[p] = image[p] * ImageTensor.PixelScale;
        return tensor;
    }

    /// <summary>The images at <paramref name="indices"/> as one float array [n × 3 × 32 × 32] in [0, 1] (NCHW).</summary>
    public float[] ToFloats(IReadOnlyList<int> indices) => ByteImages.ToFloats(Pixels, ImageBytes, indices);

    /// <summary>Number of images per class, in <see cref="Classes"/> order.</summary>
    public int[] CountPerClass()
    {
        var counts = new int[Classes.Count];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }
}
