using MLPipelines.Imaging;

namespace MLPipelines.Data.Idx;

/// <summary>
/// Equal-sized grayscale images with integer labels, held as bytes (one row-major image after another), e.g. one split of
/// MNIST. Conversions produce the float inputs of networks (values in [0, 1]) or <see cref="ImageTensor"/>s for the augmentations.
/// </summary>
public sealed class GrayImageSet
{
    /// <summary>Creates a set; <paramref name="pixels"/> holds <paramref name="labels"/>.Length images of width × height bytes.</summary>
    public GrayImageSet(string name, int width, int height, byte[] pixels, byte[] labels)
    {
        if (width <= 0 || height <= 0) throw new DataException($"{name}: image size {width}×{height} is not positive");
        if (pixels.Length != (long)labels.Length * width * height)
            throw new DataException($"{name}: {pixels.Length} pixel bytes do not make {labels.Length} images of {width}×{height}");
        Name = name;
        Width = width;
        Height = height;
        Pixels = pixels;
        Labels = labels;
    }

    /// <summary>Where the set came from, for messages and reports (e.g. "mnist train").</summary>
    public string Name { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>All images, row-major, one after another.</summary>
    public byte[] Pixels { get; }

    /// <summary>The class index of each image.</summary>
    public byte[] Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Pixels per image.</summary>
    public int ImageSize => Width * Height;

    /// <summary>The bytes of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageSize, ImageSize);

    /// <summary>The images at <paramref name="indices"/> as one float array [n × height × width], values in [0, 1].</summary>
    public float[] ToFloats(IReadOnlyList<int> indices) => ByteImages.ToFloats(Pixels, ImageSize, indices);

    /// <summary>Image <paramref name="index"/> as an RGB <see cref="ImageTensor"/> with three equal channels.</summary>
    public ImageTensor ToImageTensor(int index)
    {
        var tensor = new ImageTensor(Width, Height);
        var image = Image(index);
        for (int p = 0; p < image.Length; p++)
        {
            float value = image[p] * ImageTensor.PixelScale;
            tensor.Data[p] = tensor.Data[ImageSize + p] = tensor.Data[2 * ImageSize + p] = value;
        }
        return tensor;
    }

    /// <summary>The labels at <paramref name="indices"/> as ints.</summary>
    public int[] LabelsAt(IReadOnlyList<int> indices) => [.. indices.Select(i => (int)Labels[i])];

    /// <summary>Number of images of each class 0 … <paramref name="classCount"/> − 1.</summary>
    public int[] CountPerClass(int classCount)
    {
        var counts = new int[classCount];
        foreach (byte label in Labels) counts[label]++;
        return counts;
    }
}
