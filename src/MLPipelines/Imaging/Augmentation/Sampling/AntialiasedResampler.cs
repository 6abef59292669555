namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// Bilinear resizing with antialiasing, as torch's <c>interpolate(mode="bilinear", antialias=True)</c> (the default of
/// torchvision v2's Resize and RandomResizedCrop) and PIL's resample: separable, a triangle filter widened by the scale
/// factor when shrinking so every source pixel contributes, weights normalised where the filter leaves the image.
/// </summary>
public static class AntialiasedResampler
{
    /// <summary>The whole image resized to <paramref name="output"/>.</summary>
    public static ImageTensor Resize(ImageTensor image, ImageSize output) =>
        ResizeRegion(image, 0, 0, image.Width, image.Height, output);

    /// <summary>The box (<paramref name="left"/>, <paramref name="top"/>, <paramref name="width"/>, <paramref name="height"/>) cropped, then resized.</summary>
    public static ImageTensor ResizeRegion(ImageTensor image, int left, int top, int width, int height, ImageSize output)
    {
        if (width <= 0 || height <= 0 || left < 0 || top < 0 || left + width > image.Width || top + height > image.Height)
            throw new ArgumentException($"box ({left}, {top}, {width}×{height}) is not inside the {image.Width}×{image.Height} image");
        if (output.Width <= 0 || output.Height <= 0)
            throw new ArgumentException($"output size {output} must be positive");
        var horizontal = Coefficients.For(width, output.Width);
        var vertical = Coefficients.For(height, output.Height);
        // Pass 1: rows of the box → [3][height][output.Width]; pass 2: columns → output.
        var rows = new float[3 * height * output.Width];
        var all = horizontal.All.AsSpan();
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
            {
                var source = image.Data.AsSpan(c * image.PlaneSize + (top + y) * image.Width + left, width);
                var target = rows.AsSpan((c * height + y) * output.Width, output.Width);
                for (int x = 0; x < target.Length; x++)
                {
                    var taps = source.Slice(horizontal.Start[x], horizontal.Count[x]);
                    var weights = all.Slice(x * horizontal.Stride, taps.Length);
                    float sum = 0;
                    for (int k = 0; k < taps.Length; k++)
                        sum += weights[k] * taps[k];
                    target[x] = sum;
                }
            }
        var result = new ImageTensor(output.Width, output.Height);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < output.Height; y++)
            {
                int start = vertical.Start[y];
                var weights = vertical.Weights(y);
                var target = result.Data.AsSpan(c * result.PlaneSize + y * output.Width, output.Width);
                for (int k = 0; k < weights.Length; k++)
                {
                    float weight = weights[k];
                    var row = rows.AsSpan((c * height + start + k) * output.Width, output.Width);
                    for (int x = 0; x < target.Length; x++)
                        target[x] += weight * row[x];
                }
            }
        return result;
    }

    /// <summary>Filter taps of one axis: for output index i, <c>Count[i]</c> weights starting at source index <c>Start[i]</c>.</summary>
    private sealed class Coefficients
    {
        public required int[] Start { get; init; }
        public required int[] Count { get; init; }
        public required float[] All { get; init; }
        public required int Stride { get; init; }

        public ReadOnlySpan<float> Weights(int i) => All.AsSpan(i * Stride, Count[i]);

        // torch's _compute_indices_weights_aa (and PIL's precompute_coeffs) for the triangle filter of support 1.
        public static Coefficients For(int inputSize, int outputSize)
        {
            double scale = (double)inputSize / outputSize;
            double support = scale >= 1 ? scale : 1.0;
            double inverse = scale >= 1 ? 1.0 / scale : 1.0;
            int stride = (int)Math.Ceiling(support) * 2 + 1;
            var start = new int[outputSize];
            var count = new int[outputSize];
            var all = new float[outputSize * stride];
            var weights = new double[stride];
            for (int i = 0; i < outputSize; i++)
            {
                double center = scale * (i + 0.5);
                int min = Math.Max((int)(center - support + 0.5), 0);
                int size = Math.Min((int)(center + support + 0.5), inputSize) - min;
                double total = 0;
                for (int j = 0; j < size; j++)
                {
                    double t = Math.Abs((j + min - center + 0.5) * inverse);
                    weights[j] = t < 1 ? 1 - t : 0;
                    total += weights[j];
                }
                for (int j = 0; j < size; j++)
                    all[i * stride + j] = (float)(total > 0 ? weights[j] / total : 0);
                start[i] = min;
                count[i] = size;
            }
            return new Coefficients { Start = start, Count = count, All = all, Stride = stride };
        }
    }
}
