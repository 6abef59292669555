using MLPipelines.Imaging;

namespace MLPipelines.Tests.Imaging.Augmentation;

/// <summary>Small images with known, distinct pixel values for hand-computed expectations.</summary>
internal static class KnownImages
{
    /// <summary>R = (y·w + x) / (w·h), G = 1 − R, B = 0.25 + x / (4w): every pixel distinct, all in [0, 1].</summary>
    public static ImageTensor Ramp(int width, int height)
    {
        var image = new ImageTensor(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                float r = (float)(y * width + x) / (width * height);
                image[0, y, x] = r;
                image[1, y, x] = 1 - r;
                image[2, y, x] = 0.25f + (float)x / (4 * width);
            }
        return image;
    }

    /// <summary>An image whose channels hold the constants <paramref name="r"/>, <paramref name="g"/>, <paramref name="b"/>.</summary>
    public static ImageTensor Constant(int width, int height, float r, float g, float b)
    {
        var image = new ImageTensor(width, height);
        image.Data.AsSpan(0, image.PlaneSize).Fill(r);
        image.Data.AsSpan(image.PlaneSize, image.PlaneSize).Fill(g);
        image.Data.AsSpan(2 * image.PlaneSize, image.PlaneSize).Fill(b);
        return image;
    }

    /// <summary>An image built from <paramref name="value"/>(channel, x, y).</summary>
    public static ImageTensor From(int width, int height, Func<int, int, int, float> value)
    {
        var image = new ImageTensor(width, height);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    image[c, y, x] = value(c, x, y);
        return image;
    }

    /// <summary>Asserts every value of <paramref name="actual"/> equals <paramref name="expected"/> within <paramref name="tolerance"/>.</summary>
    public static void AssertEqual(ImageTensor expected, ImageTensor actual, float tolerance = 1e-6f)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        for (int i = 0; i < expected.Data.Length; i++)
            Assert.True(Math.Abs(expected.Data[i] - actual.Data[i]) <= tolerance,
                $"value {i} (c{i / expected.PlaneSize}, y{i % expected.PlaneSize / expected.Width}, x{i % expected.Width}): expected {expected.Data[i]}, got {actual.Data[i]}");
    }

    /// <summary>Asserts all values are in [0, 1] and finite.</summary>
    public static void AssertInUnitRange(ImageTensor image)
    {
        foreach (float v in image.Data)
            Assert.True(v is >= 0f and <= 1f, $"value {v} outside [0, 1]");
    }
}
