namespace MLPipelines.Imaging;

/// <summary>
/// Per-channel mean and standard deviation of [0,1]-scaled RGB pixels, computed by streaming over images in batches (each
/// batch decoded in parallel, sums kept in double precision), so any dataset size fits in memory.
/// </summary>
/// <param name="Mean">Mean of R, G, B.</param>
/// <param name="Std">Population standard deviation of R, G, B.</param>
/// <param name="ImageCount">Images read.</param>
/// <param name="Width">Width the images were resized to.</param>
/// <param name="Height">Height the images were resized to.</param>
public sealed record ChannelStatistics(float[] Mean, float[] Std, int ImageCount, int Width, int Height)
{
    /// <summary>Computes the statistics of <paramref name="imagePaths"/> resized as a model would see them.</summary>
    public static ChannelStatistics Compute(IReadOnlyList<string> imagePaths, int width, int height,
        ImageResizeKind resize = ImageResizeKind.CenterCrop, int batchSize = 64, IProgress<ProgressUpdate>? progress = null)
    {
        if (imagePaths.Count == 0)
            throw new ArgumentException("channel statistics need at least one image");
        var sum = new double[3];
        var sumOfSquares = new double[3];
        for (int start = 0; start < imagePaths.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, imagePaths.Count - start);
            var batchSums = new double[count, 6];
            Parallel.For(0, count, i =>
            {
                var image = ImageTensor.Load(imagePaths[start + i], width, height, resize);
                for (int c = 0; c < 3; c++)
                {
                    double s = 0, s2 = 0;
                    foreach (float v in image.Data.AsSpan(c * image.PlaneSize, image.PlaneSize))
                    {
                        s += v;
                        s2 += (double)v * v;
                    }
                    batchSums[i, c] = s;
                    batchSums[i, 3 + c] = s2;
                }
            });
            for (int i = 0; i < count; i++)
                for (int c = 0; c < 3; c++)
                {
                    sum[c] += batchSums[i, c];
                    sumOfSquares[c] += batchSums[i, 3 + c];
                }
            progress?.Report(new ProgressUpdate("channel statistics", start + count, imagePaths.Count));
        }
        double n = (double)imagePaths.Count * width * height;
        var mean = new float[3];
        var std = new float[3];
        for (int c = 0; c < 3; c++)
        {
            double m = sum[c] / n;
            mean[c] = (float)m;
            std[c] = (float)Math.Sqrt(Math.Max(sumOfSquares[c] / n - m * m, 0));
        }
        return new ChannelStatistics(mean, std, imagePaths.Count, width, height);
    }
}
