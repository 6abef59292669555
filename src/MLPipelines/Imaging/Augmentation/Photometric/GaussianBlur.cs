namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision's GaussianBlur: σ uniform in <see cref="Sigma"/> on every call, a separable <see cref="KernelSize"/>-tap
/// Gaussian kernel (taps at −k/2 … k/2, normalised), reflect padding at the borders.
/// </summary>
public sealed class GaussianBlur : IImageAugmentation
{
    /// <summary>Creates the transform; <paramref name="kernelSize"/> must be odd and positive.</summary>
    public GaussianBlur(int kernelSize, ValueRange? sigma = null)
    {
        if (kernelSize <= 0 || kernelSize % 2 == 0) throw new ArgumentException($"blur kernel must be odd and positive, got {kernelSize}");
        Sigma = sigma ?? new ValueRange(0.1, 2.0);
        if (Sigma.Min <= 0 || Sigma.Min > Sigma.Max) throw new ArgumentException($"blur sigma must be increasing and positive, got {Sigma}");
        KernelSize = kernelSize;
    }

    /// <summary>Taps of the kernel in each direction.</summary>
    public int KernelSize { get; }

    /// <summary>Range of the standard deviation in pixels.</summary>
    public ValueRange Sigma { get; }

    /// <inheritdoc/>
    public ImageTensor Apply(ImageTensor image, Random random) => Blur(image, KernelSize, Sigma.Draw(random));

    /// <inheritdoc/>
    public string Describe() => SpecFormat.Call("blur", ("kernel", SpecFormat.Number(KernelSize)), ("sigma", Sigma.ToString()));

    /// <summary>The image blurred with a <paramref name="kernelSize"/>-tap Gaussian of standard deviation <paramref name="sigma"/>.</summary>
    public static ImageTensor Blur(ImageTensor image, int kernelSize, double sigma)
    {
        int half = kernelSize / 2;
        var kernel = new float[kernelSize];
        double total = 0;
        var raw = new double[kernelSize];
        for (int i = 0; i < kernelSize; i++)
        {
            double x = i - half;
            raw[i] = Math.Exp(-0.5 * (x / sigma) * (x / sigma));
            total += raw[i];
        }
        for (int i = 0; i < kernelSize; i++) kernel[i] = (float)(raw[i] / total);
        int w = image.Width, h = image.Height, n = image.PlaneSize;
        var columns = new int[w + 2 * half];
        for (int i = 0; i < columns.Length; i++) columns[i] = ImagePadding.SourceIndex(i - half, w, PaddingMode.Reflect);
        var rows = new int[h + 2 * half];
        for (int i = 0; i < rows.Length; i++) rows[i] = ImagePadding.SourceIndex(i - half, h, PaddingMode.Reflect);
        var horizontal = new float[n];
        var result = new ImageTensor(w, h);
        for (int c = 0; c < 3; c++)
        {
            var src = image.Data.AsSpan(c * n, n);
            for (int y = 0; y < h; y++)
            {
                var row = src.Slice(y * w, w);
                var target = horizontal.AsSpan(y * w, w);
                for (int x = 0; x < w; x++)
                {
                    float sum = 0;
                    if (x >= half && x + half < w)
                    {
                        // Interior: contiguous taps, no index table.
                        var taps = row.Slice(x - half, kernelSize);
                        for (int k = 0; k < kernelSize; k++) sum += kernel[k] * taps[k];
                    }
                    else
                    {
                        for (int k = 0; k < kernelSize; k++) sum += kernel[k] * row[columns[x + k]];
                    }
                    target[x] = sum;
                }
            }
            var dst = result.Data.AsSpan(c * n, n);
            for (int y = 0; y < h; y++)
                for (int k = 0; k < kernelSize; k++)
                {
                    float weight = kernel[k];
                    var row = horizontal.AsSpan(rows[y + k] * w, w);
                    var target = dst.Slice(y * w, w);
                    for (int x = 0; x < w; x++) target[x] += weight * row[x];
                }
        }
        return result;
    }
}
