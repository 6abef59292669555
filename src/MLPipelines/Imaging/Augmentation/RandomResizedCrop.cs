namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision's RandomResizedCrop: a crop whose area is a random fraction in [<see cref="MinScale"/>, <see cref="MaxScale"/>]
/// of the image and whose aspect ratio is log-uniform in [<see cref="MinRatio"/>, <see cref="MaxRatio"/>] (10 attempts, then a
/// centre crop of the clamped ratio), resized back to the image size with bilinear sampling.
/// </summary>
public sealed class RandomResizedCrop(double minScale = 0.08, double maxScale = 1.0, double minRatio = 3.0 / 4, double maxRatio = 4.0 / 3)
    : IImageAugmentation
{
    public double MinScale { get; } = minScale;
    public double MaxScale { get; } = maxScale;
    public double MinRatio { get; } = minRatio;
    public double MaxRatio { get; } = maxRatio;

    public ImageTensor Apply(ImageTensor image, Random random)
    {
        var (left, top, width, height) = SampleBox(image.Width, image.Height, random);
        return Crop(image, left, top, width, height, image.Width, image.Height);
    }

    public string Describe() => $"RandomResizedCrop(scale=[{MinScale:g},{MaxScale:g}], ratio=[{MinRatio:g},{MaxRatio:g}])";

    /// <summary>The crop box (left, top, width, height) in whole pixels, as torchvision's <c>get_params</c>.</summary>
    public (int Left, int Top, int Width, int Height) SampleBox(int imageWidth, int imageHeight, Random random)
    {
        double area = imageWidth * imageHeight;
        double logLow = Math.Log(MinRatio), logHigh = Math.Log(MaxRatio);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double targetArea = area * RandomAffine.Uniform(random, MinScale, MaxScale);
            double ratio = Math.Exp(RandomAffine.Uniform(random, logLow, logHigh));
            int w = (int)Math.Round(Math.Sqrt(targetArea * ratio));
            int h = (int)Math.Round(Math.Sqrt(targetArea / ratio));
            if (w > 0 && h > 0 && w <= imageWidth && h <= imageHeight)
                return (random.Next(imageWidth - w + 1), random.Next(imageHeight - h + 1), w, h);
        }
        double imageRatio = (double)imageWidth / imageHeight;
        int cw, ch;
        if (imageRatio < MinRatio) { cw = imageWidth; ch = (int)Math.Round(cw / MinRatio); }
        else if (imageRatio > MaxRatio) { ch = imageHeight; cw = (int)Math.Round(ch * MaxRatio); }
        else { cw = imageWidth; ch = imageHeight; }
        return ((imageWidth - cw) / 2, (imageHeight - ch) / 2, cw, ch);
    }

    /// <summary>The box resized to <paramref name="outWidth"/>×<paramref name="outHeight"/> (bilinear, pixel-centre aligned).</summary>
    public static ImageTensor Crop(ImageTensor image, int left, int top, int width, int height, int outWidth, int outHeight)
    {
        float sx = (float)width / outWidth, sy = (float)height / outHeight;
        return BilinearSampler.Warp(image, outWidth, outHeight, (x, y) => (left + x * sx, top + y * sy));
    }
}
