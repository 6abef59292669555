namespace MLPipelines.Imaging.Augmentation;

/// <summary>Pads and crops images (torchvision's <c>F.pad</c> and <c>F.crop</c>).</summary>
public static class ImagePadding
{
    /// <summary>A new image with the given margins added; <paramref name="fill"/> is used by <see cref="PaddingMode.Constant"/>.</summary>
    public static ImageTensor Pad(ImageTensor image, int left, int top, int right, int bottom, PaddingMode mode, float fill = 0f)
    {
        if (left < 0 || top < 0 || right < 0 || bottom < 0)
            throw new ArgumentException($"padding must not be negative (got {left}, {top}, {right}, {bottom})");
        return Window(image, -left, -top, image.Width + left + right, image.Height + top + bottom, mode, fill);
    }

    /// <summary>
    /// The <paramref name="width"/>×<paramref name="height"/> window whose top-left corner is at (<paramref name="left"/>,
    /// <paramref name="top"/>) of the image, positions outside the image padded with <paramref name="mode"/>: a crop, a pad, or
    /// both in one copy.
    /// </summary>
    public static ImageTensor Window(ImageTensor image, int left, int top, int width, int height, PaddingMode mode, float fill = 0f)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"window size {width}×{height} must be positive");
        if (mode == PaddingMode.Reflect &&
            (Math.Max(-left, left + width - image.Width) >= image.Width || Math.Max(-top, top + height - image.Height) >= image.Height))
            throw new ArgumentException($"reflect padding must be smaller than the image ({image.Width}×{image.Height})");
        var result = new ImageTensor(width, height);
        var columns = new int[width];
        for (int x = 0; x < width; x++)
            columns[x] = SourceIndex(left + x, image.Width, mode);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
            {
                int sy = SourceIndex(top + y, image.Height, mode);
                var row = result.Data.AsSpan(c * result.PlaneSize + y * width, width);
                if (sy < 0)
                {
                    row.Fill(fill);
                    continue;
                }
                var source = image.Data.AsSpan(c * image.PlaneSize + sy * image.Width, image.Width);
                if (left >= 0 && left + width <= image.Width)
                {
                    source.Slice(left, width).CopyTo(row);
                    continue;
                }
                for (int x = 0; x < width; x++)
                    row[x] = columns[x] < 0 ? fill : source[columns[x]];
            }
        return result;
    }

    /// <summary>The source index that padding position <paramref name="i"/> copies, or −1 for the constant fill.</summary>
    public static int SourceIndex(int i, int size, PaddingMode mode)
    {
        if (i >= 0 && i < size) return i;
        switch (mode)
        {
            case PaddingMode.Constant:
                return -1;
            case PaddingMode.Edge:
                return Math.Clamp(i, 0, size - 1);
            case PaddingMode.Reflect:
                if (size == 1) return 0;
                int period = 2 * (size - 1);
                int m = ((i % period) + period) % period;
                return m < size ? m : period - m;
            default:
                int period2 = 2 * size;
                int s = ((i % period2) + period2) % period2;
                return s < size ? s : period2 - 1 - s;
        }
    }
}
