namespace MLPipelines.Imaging.Augmentation;

/// <summary>Gray levels with ITU-R 601 weights (0.299 R + 0.587 G + 0.114 B), as torchvision's <c>rgb_to_grayscale</c>.</summary>
public static class Grayscale
{
    /// <summary>The gray level of every pixel.</summary>
    public static float[] Luma(ImageTensor image)
    {
        int n = image.PlaneSize;
        var gray = new float[n];
        for (int i = 0; i < n; i++)
            gray[i] = 0.299f * image.Data[i] + 0.587f * image.Data[n + i] + 0.114f * image.Data[2 * n + i];
        return gray;
    }

    /// <summary>An RGB image whose three channels all hold the gray level.</summary>
    public static ImageTensor ToGrayRgb(ImageTensor image)
    {
        var gray = Luma(image);
        var result = new ImageTensor(image.Width, image.Height);
        for (int c = 0; c < 3; c++)
            gray.CopyTo(result.Data, c * image.PlaneSize);
        return result;
    }
}
