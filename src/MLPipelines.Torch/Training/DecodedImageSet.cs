using MLPipelines.Imaging;

namespace MLPipelines.Torch.Training;

/// <summary>
/// Labelled images decoded once at the training size (ML.NET's IsoCrop geometry and filter, as the exported model.zip
/// resizes) and kept in memory as 8-bit planar RGB, read back as [0,1] planar tensors bit-identical to
/// <see cref="ImageTensor.Load"/>'s (see <see cref="CompactImageList"/>): 224×224 costs 0.15 MB per image instead of the
/// 0.6 MB of floats, so PACS cartoon's 2344 images take 0.35 GB and a few-shot split a small fraction of that.
/// </summary>
public sealed class DecodedImageSet
{
    private readonly CompactImageList _images;

    private DecodedImageSet(CompactImageList images, IReadOnlyList<int> labels, IReadOnlyList<string> paths, int size)
    {
        _images = images;
        Labels = labels;
        Paths = paths;
        Size = size;
    }

    /// <summary>
    /// The decoded images. Each read (index or enumeration) builds a new tensor the caller owns, so it is safe to change it and
    /// to read from several threads; read an image once per use rather than repeatedly.
    /// </summary>
    public IReadOnlyList<ImageTensor> Images => _images;

    /// <summary>Class index of each image.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Source file of each image.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Side of the square images.</summary>
    public int Size { get; }

    /// <summary>Number of images.</summary>
    public int Count => _images.Count;

    /// <summary>Decodes <paramref name="paths"/> in parallel (at most <paramref name="threads"/> at once).</summary>
    public static DecodedImageSet Decode(IReadOnlyList<string> paths, IReadOnlyList<int> labels, int size, int threads = 2,
        IProgress<ProgressUpdate>? progress = null, string task = "decode images")
    {
        if (paths.Count != labels.Count) throw new ArgumentException($"{paths.Count} image paths but {labels.Count} labels");
        var images = new StoredImage[paths.Count];
        int done = 0;
        Parallel.For(0, paths.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            // The bytes ImageTensor.Load scales to floats (FromBitmap), kept as they are.
            using (var bitmap = ImageDecoder.LoadResized(paths[i], size, size, ImageResizeKind.CenterCrop))
                images[i] = StoredImage.FromBytes(bitmap.Width, bitmap.Height, ImageDecoder.ToPlanarRgb(bitmap));
            int finished = Interlocked.Increment(ref done);
            if (finished % 32 == 0 || finished == paths.Count)
                progress?.Report(new ProgressUpdate(task, finished, paths.Count));
        });
        return new DecodedImageSet(new CompactImageList(images), [.. labels], [.. paths], size);
    }

    /// <summary>
    /// Decodes labelled images, each label given as its index in <paramref name="classes"/> (a label outside them is an
    /// error naming the file).
    /// </summary>
    public static DecodedImageSet Decode(IReadOnlyList<Data.LabeledImage> images, IReadOnlyList<string> classes, int size, int threads = 2,
        IProgress<ProgressUpdate>? progress = null, string task = "decode images")
    {
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var labels = images.Select(i => index.TryGetValue(i.Label, out int k) ? k
            : throw new ArgumentException($"{i.Path}: label '{i.Label}' is not one of the classes ({string.Join(", ", classes)})")).ToList();
        return Decode(images.Select(i => i.Path).ToList(), labels, size, threads, progress, task);
    }

    /// <summary>
    /// Images already decoded in memory (e.g. CIFAR-10 read from its archive), all square and of one size: <paramref name="size"/>,
    /// or the first image's when it is not given. <paramref name="names"/> stand in for file paths: they identify the images in
    /// checkpoint fingerprints, so give each a stable, unique name such as <c>cifar10/train/cat/0042</c>. An image whose values
    /// are all exactly k/255 (k = 0..255, as <see cref="ImageTensor.FromBitmap"/> and CIFAR-10 give them) is stored as bytes;
    /// any other (e.g. resampled) keeps its float tensor, which the set then holds without a copy: do not change it afterwards.
    /// </summary>
    public static DecodedImageSet FromImages(IReadOnlyList<ImageTensor> images, IReadOnlyList<int> labels, IReadOnlyList<string> names, int? size = null)
    {
        if (images.Count != labels.Count || images.Count != names.Count)
            throw new ArgumentException($"{images.Count} images but {labels.Count} labels and {names.Count} names");
        if (images.Count == 0 && size is null) throw new ArgumentException("an image set needs at least one image or an explicit size");
        int side = size ?? images[0].Width;
        for (int i = 0; i < images.Count; i++)
            if (images[i].Width != side || images[i].Height != side)
                throw new ArgumentException($"image {i} '{names[i]}' is {images[i].Width}×{images[i].Height}, not {side}×{side}");
        var stored = new StoredImage[images.Count];
        Parallel.For(0, images.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => stored[i] = StoredImage.Of(images[i]));
        return new DecodedImageSet(new CompactImageList(stored), [.. labels], [.. names], side);
    }

    /// <summary>These images followed by <paramref name="other"/>'s (of the same size), without copying pixels.</summary>
    public DecodedImageSet Concat(DecodedImageSet other) => other.Size == Size
        ? new(_images.Concat(other._images), [.. Labels, .. other.Labels], [.. Paths, .. other.Paths], Size)
        : throw new ArgumentException($"cannot join {Size}×{Size} images with {other.Size}×{other.Size} images");

    /// <summary>The images at <paramref name="indices"/>, without copying pixels.</summary>
    public DecodedImageSet Subset(IReadOnlyList<int> indices) =>
        new(_images.Subset(indices), indices.Select(i => Labels[i]).ToList(), indices.Select(i => Paths[i]).ToList(), Size);

    /// <summary>
    /// Per-channel mean and population standard deviation of the pixels (for networks trained from scratch), summed in doubles
    /// straight from the stored bytes, in the same order and with the same values as over the float tensors.
    /// </summary>
    public (float[] Mean, float[] Std) ChannelStatistics()
    {
        var sum = new double[3];
        var squares = new double[3];
        long n = 0;
        foreach (var image in _images.Stored)
        {
            image.Accumulate(sum, squares);
            n += image.Width * image.Height;
        }
        var mean = sum.Select(s => (float)(s / n)).ToArray();
        var std = Enumerable.Range(0, 3).Select(c => (float)Math.Sqrt(Math.Max(squares[c] / n - (sum[c] / n) * (sum[c] / n), 1e-12))).ToArray();
        return (mean, std);
    }
}
