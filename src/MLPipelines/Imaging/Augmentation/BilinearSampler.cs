namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// Samples an image at continuous coordinates with bilinear interpolation. Coordinates are in pixel units with pixel centres at
/// integer + 0.5 (torch's <c>grid_sample(align_corners=False)</c> convention); outside the image the fill value is used.
/// </summary>
public static class BilinearSampler
{
    /// <summary>The value of channel <paramref name="c"/> at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public static float Sample(ImageTensor image, int c, float x, float y, float fill = 0f)
    {
        float u = x - 0.5f, v = y - 0.5f;
        int x0 = (int)MathF.Floor(u), y0 = (int)MathF.Floor(v);
        float fx = u - x0, fy = v - y0;
        float Get(int xi, int yi) =>
            xi < 0 || yi < 0 || xi >= image.Width || yi >= image.Height ? fill : image.Data[c * image.PlaneSize + yi * image.Width + xi];
        return (1 - fy) * ((1 - fx) * Get(x0, y0) + fx * Get(x0 + 1, y0)) + fy * ((1 - fx) * Get(x0, y0 + 1) + fx * Get(x0 + 1, y0 + 1));
    }

    /// <summary>
    /// A new image of size <paramref name="width"/>×<paramref name="height"/> whose pixel centre (x, y) takes the source value
    /// at <paramref name="sourceOf"/>(x, y).
    /// </summary>
    public static ImageTensor Warp(ImageTensor source, int width, int height, Func<float, float, (float X, float Y)> sourceOf, float fill = 0f)
    {
        var result = new ImageTensor(width, height);
        int plane = width * height;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var (sx, sy) = sourceOf(x + 0.5f, y + 0.5f);
                for (int c = 0; c < 3; c++)
                    result.Data[c * plane + y * width + x] = Sample(source, c, sx, sy, fill);
            }
        return result;
    }
}
