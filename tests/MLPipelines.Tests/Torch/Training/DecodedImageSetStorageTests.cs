using MLPipelines.Imaging;
using MLPipelines.Tests.Diagnostics;
using MLPipelines.Torch.Training;

namespace MLPipelines.Tests.Torch.Training;

/// <summary>
/// <see cref="DecodedImageSet"/> stores decoded images as 8-bit planar bytes (a quarter of the float memory) and gives back
/// exactly the floats <see cref="ImageTensor.Load"/> returns; in-memory images whose values are not all k/255 stay floats.
/// Real PACS cartoon files, so a decoder or scaling change shows up here. Runs alone: the memory test reads the managed heap,
/// which other tests allocating at the same time would upset.
/// </summary>
[Collection(ProcessMemoryCollection.Name)]
public class DecodedImageSetStorageTests
{
    private static readonly string[] Classes = ["dog", "guitar", "house"];

    // The first files (ordinal order) of each class, labelled by the class's index.
    private static (List<string> Paths, List<int> Labels) PacsFiles(int perClass)
    {
        var paths = new List<string>();
        var labels = new List<int>();
        for (int c = 0; c < Classes.Length; c++)
            foreach (var file in Directory.GetFiles(Path.Combine(RepositoryPaths.PacsCartoon, Classes[c]), "*.jpg").Order(StringComparer.Ordinal).Take(perClass))
            {
                paths.Add(file);
                labels.Add(c);
            }
        return (paths, labels);
    }

    // Per-channel mean and population standard deviation, as DecodedImageSet computed them from float tensors.
    private static (float[] Mean, float[] Std) FloatStatistics(IReadOnlyList<ImageTensor> images)
    {
        var sum = new double[3];
        var squares = new double[3];
        long n = 0;
        foreach (var image in images)
        {
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < image.PlaneSize; i++)
                {
                    double v = image.Data[c * image.PlaneSize + i];
                    sum[c] += v;
                    squares[c] += v * v;
                }
            n += image.PlaneSize;
        }
        var mean = sum.Select(s => (float)(s / n)).ToArray();
        var std = Enumerable.Range(0, 3).Select(c => (float)Math.Sqrt(Math.Max(squares[c] / n - (sum[c] / n) * (sum[c] / n), 1e-12))).ToArray();
        return (mean, std);
    }

    private static ImageTensor Filled(int size, Func<int, float> value)
    {
        var image = new ImageTensor(size, size);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = value(i);
        return image;
    }

    private static void AssertBitIdentical(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"value {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Theory]
    [InlineData(224)]
    [InlineData(64)]
    public void Decoded_pacs_images_read_back_bit_identical_to_ImageTensor_Load_with_the_same_statistics(int size)
    {
        var (paths, labels) = PacsFiles(4);
        var set = DecodedImageSet.Decode(paths, labels, size);
        var expected = paths.Select(p => ImageTensor.Load(p, size, size, ImageResizeKind.CenterCrop)).ToList();

        Assert.Equal(12, set.Count);
        Assert.Equal(size, set.Size);
        Assert.Equal(labels, set.Labels);
        Assert.Equal(paths, set.Paths);
        for (int i = 0; i < paths.Count; i++)
        {
            Assert.Equal(size, set.Images[i].Width);
            Assert.Equal(size, set.Images[i].Height);
            AssertBitIdentical(expected[i].Data, set.Images[i].Data);
        }
        int k = 0;
        foreach (var image in set.Images) AssertBitIdentical(expected[k++].Data, image.Data);
        Assert.Equal(12, k);

        var (mean, std) = set.ChannelStatistics();
        var (expectedMean, expectedStd) = FloatStatistics(expected);
        Assert.Equal(expectedMean, mean);
        Assert.Equal(expectedStd, std);
    }

    [Fact]
    public void Every_read_gives_a_fresh_tensor_so_changing_it_leaves_the_set_unchanged()
    {
        var (paths, labels) = PacsFiles(1);
        var decoded = DecodedImageSet.Decode(paths, labels, 32);
        var floats = DecodedImageSet.FromImages([Filled(8, i => 0.3f / 7)], [0], ["floats/0"]);
        foreach (var set in new[] { decoded, floats })
        {
            var first = set.Images[0];
            var original = (float[])first.Data.Clone();
            Array.Fill(first.Data, 0.5f);
            Assert.NotSame(first, set.Images[0]);
            AssertBitIdentical(original, set.Images[0].Data);
        }
    }

    [Fact]
    public void FromImages_returns_arbitrary_floats_unchanged()
    {
        // 0.3f/7 is no multiple of 1/255; 1f/255 + 1e-7f is next to one; -0f equals 0 but is not k/255 bit for bit.
        var arbitrary = Filled(6, i => 0.3f / 7 * (i % 5));
        var almost = Filled(6, i => i == 40 ? 1f / 255 + 1e-7f : (i % 256) * ImageTensor.PixelScale);
        var negativeZero = Filled(6, i => i == 3 ? -0f : (i % 256) * ImageTensor.PixelScale);
        var outOfRange = Filled(6, i => i == 7 ? 256 * ImageTensor.PixelScale : i == 8 ? -ImageTensor.PixelScale : 0f);
        var nan = Filled(6, i => i == 0 ? float.NaN : 0f);
        ImageTensor[] images = [arbitrary, almost, negativeZero, outOfRange, nan];
        var expected = images.Select(i => (float[])i.Data.Clone()).ToList();

        var set = DecodedImageSet.FromImages(images, [.. images.Select(_ => 0)], [.. images.Select((_, i) => $"float/{i}")]);

        for (int i = 0; i < images.Length; i++)
            AssertBitIdentical(expected[i], set.Images[i].Data);
    }

    [Fact]
    public void FromImages_returns_exact_multiples_of_the_pixel_scale_unchanged()
    {
        // Every byte value, as FromBitmap and Cifar10Set.ToImageTensor scale them.
        var images = Enumerable.Range(0, 4).Select(s => Filled(16, i => (byte)(i * 7 + s * 31) * ImageTensor.PixelScale)).ToList();
        var expected = images.Select(i => (float[])i.Data.Clone()).ToList();

        var set = DecodedImageSet.FromImages(images, [0, 1, 0, 1], ["a", "b", "c", "d"]);

        for (int i = 0; i < images.Count; i++)
            AssertBitIdentical(expected[i], set.Images[i].Data);
        var (mean, std) = set.ChannelStatistics();
        var (expectedMean, expectedStd) = FloatStatistics(images);
        Assert.Equal(expectedMean, mean);
        Assert.Equal(expectedStd, std);

        // 75 values: not a whole number of vectors, so the scalar tail is read too.
        var odd = Filled(5, i => (byte)(255 - 3 * i) * ImageTensor.PixelScale);
        var oddValues = (float[])odd.Data.Clone();
        AssertBitIdentical(oddValues, DecodedImageSet.FromImages([odd], [0], ["odd"]).Images[0].Data);
    }

    [Fact]
    public void Concat_and_Subset_keep_values_labels_and_paths_of_byte_and_float_images()
    {
        var (paths, labels) = PacsFiles(2);
        var decoded = DecodedImageSet.Decode(paths, labels, 32);
        var floats = DecodedImageSet.FromImages([Filled(32, i => 0.3f / 7), Filled(32, i => (i % 3) * 0.25f)], [2, 1], ["f/0", "f/1"]);
        var expected = paths.Select(p => ImageTensor.Load(p, 32, 32).Data).Append(floats.Images[0].Data).Append(floats.Images[1].Data).ToList();

        var joined = decoded.Concat(floats);
        Assert.Equal(8, joined.Count);
        Assert.Equal([.. labels, 2, 1], joined.Labels);
        Assert.Equal([.. paths, "f/0", "f/1"], joined.Paths);
        for (int i = 0; i < joined.Count; i++) AssertBitIdentical(expected[i], joined.Images[i].Data);

        int[] picked = [7, 0, 3, 6, 3];
        var subset = joined.Subset(picked);
        Assert.Equal(picked.Select(i => joined.Labels[i]), subset.Labels);
        Assert.Equal(picked.Select(i => joined.Paths[i]), subset.Paths);
        for (int i = 0; i < picked.Length; i++) AssertBitIdentical(expected[picked[i]], subset.Images[i].Data);
        var (mean, std) = subset.ChannelStatistics();
        var (expectedMean, expectedStd) = FloatStatistics([.. picked.Select(i => new ImageTensor(32, 32, expected[i]))]);
        Assert.Equal(expectedMean, mean);
        Assert.Equal(expectedStd, std);

        Assert.Throws<ArgumentException>(() => decoded.Concat(DecodedImageSet.FromImages([new ImageTensor(8, 8)], [0], ["x"])));
    }

    [Fact]
    public void Decoding_64_pacs_images_at_224_takes_well_under_the_memory_of_float_tensors()
    {
        const int size = 224, count = 64;
        var (paths, labels) = PacsFiles(22);
        paths = paths[..count];
        labels = labels[..count];
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var set = DecodedImageSet.Decode(paths, labels, size);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(set);

        long floats = (long)count * 3 * size * size * sizeof(float);
        Assert.True(after - before < 0.35 * floats,
            $"decoding {count} images at {size} grew the heap by {(after - before) / 1e6:F1} MB; float tensors take {floats / 1e6:F1} MB");
        // The bytes themselves must be there: a quarter of the floats, and the images still readable.
        Assert.True(after - before >= 0.24 * floats, $"heap grew by only {(after - before) / 1e6:F1} MB");
        Assert.Equal(size, set.Images[count - 1].Width);
    }
}
