using MLPipelines.Imaging;

namespace MLPipelines.Data;

/// <summary>Conversions shared by the in-memory byte image sets (idx digits, decoded CIFAR-10).</summary>
internal static class ByteImages
{
    /// <summary>
    /// Images <paramref name="indices"/> of <paramref name="pixels"/> (one image of <paramref name="imageSize"/> bytes after another)
    /// as one float array, values scaled to [0, 1].
    /// </summary>
    public static float[] ToFloats(byte[] pixels, int imageSize, IReadOnlyList<int> indices)
    {
        var result = new float[indices.Count * imageSize];
        for (int i = 0; i < indices.Count; i++)
        {
            var image = pixels.AsSpan(indices[i] * imageSize, imageSize);
            var target = result.AsSpan(i * imageSize, imageSize);
            for (int p = 0; p < image.Length; p++)
                target[p] = image[p] * ImageTensor.PixelScale;
        }
        return result;
    }
}
