using MLPipelines.Imaging;
using MLPipelines.Imaging.Augmentation;

namespace MLPipelines.Visualization;

/// <summary>Blends a [0,1] heat map over an image with the jet colour map (blue = low, red = high), as Grad-CAM figures do.</summary>
public static class HeatmapOverlay
{
    /// <summary>
    /// The image with <paramref name="map"/> (row-major [height, width], values in [0,1], the image's size) blended in:
    /// <c>(1 − opacity) · image + opacity · jet(map)</c>.
    /// </summary>
    public static ImageTensor Blend(ImageTensor image, float[,] map, float opacity = 0.45f)
    {
        if (map.GetLength(0) != image.Height || map.GetLength(1) != image.Width)
            throw new ArgumentException($"the map is {map.GetLength(1)}×{map.GetLength(0)} but the image is {image.Width}×{image.Height}");
        var result = new ImageTensor(image.Width, image.Height);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                var (r, g, b) = Jet(Math.Clamp(map[y, x], 0f, 1f));
                result[0, y, x] = (1 - opacity) * image[0, y, x] + opacity * r;
                result[1, y, x] = (1 - opacity) * image[1, y, x] + opacity * g;
                result[2, y, x] = (1 - opacity) * image[2, y, x] + opacity * b;
            }
        return result;
    }

    /// <summary>The jet colour of <paramref name="value"/> in [0,1] (MATLAB's piecewise-linear definition).</summary>
    public static (float R, float G, float B) Jet(float value)
    {
        static float Ramp(float x) => Math.Clamp(1.5f - Math.Abs(x), 0f, 1f);
        float v = 4 * value;
        return (Ramp(v - 3), Ramp(v - 2), Ramp(v - 1));
    }

    /// <summary>The centre <paramref name="width"/>×<paramref name="height"/> of an image (offsets rounded down, as the models' crop).</summary>
    public static ImageTensor CenterCrop(ImageTensor image, int width, int height)
    {
        if (width == image.Width && height == image.Height) return image;
        return ImagePadding.Window(image, (image.Width - width) / 2, (image.Height - height) / 2, width, height, PaddingMode.Constant);
    }
}
