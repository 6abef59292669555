using System.IO.Compression;
using MLPipelines.Catalog;
using MLPipelines.Data;
using MLPipelines.Data.Idx;

namespace MLPipelines.Tests.Data;

public class IdxReaderTests
{
    [Fact]
    public void Mnist_loads_from_the_catalog_with_the_known_sizes_labels_and_class_counts()
    {
        var mnist = MnistDataset.Load("mnist", new AssetLocator(TestCache.Assets));
        Assert.Equal(60_000, mnist.Train.Count);
        Assert.Equal(10_000, mnist.Test.Count);
        Assert.Equal((28, 28), (mnist.Train.Width, mnist.Train.Height));
        // Well-known facts of the official files: the first training digit is a 5, the first test digit a 7, and the
        // training set has 5923 zeros and 6742 ones.
        Assert.Equal(5, mnist.Train.Labels[0]);
        Assert.Equal(7, mnist.Test.Labels[0]);
        var counts = mnist.Train.CountPerClass(10);
        Assert.Equal(5923, counts[0]);
        Assert.Equal(6742, counts[1]);
        // Pixels are bytes with a black background: corners are 0 and strokes reach 255.
        Assert.Equal(0, mnist.Train.Image(0)[0]);
        Assert.Equal(255, mnist.Train.Image(0).ToArray().Max());
        var floats = mnist.Train.ToFloats([0]);
        Assert.Equal(784, floats.Length);
        Assert.Equal(1f, floats.Max());
        var tensor = mnist.Train.ToImageTensor(0);
        Assert.Equal(tensor.Data.AsSpan(0, 784).ToArray(), tensor.Data.AsSpan(784, 784).ToArray());
    }

    [Fact]
    public void Fashion_mnist_has_6000_and_1000_images_per_class()
    {
        var fashion = MnistDataset.Load("fashion-mnist", new AssetLocator(TestCache.Assets));
        Assert.All(fashion.Train.CountPerClass(10), c => Assert.Equal(6000, c));
        Assert.All(fashion.Test.CountPerClass(10), c => Assert.Equal(1000, c));
        Assert.Equal("Ankle boot", fashion.Classes[9]);
    }

    [Fact]
    public void Reads_a_small_gzip_file_written_here_exactly()
    {
        using var folder = new TemporaryFolder("idx");
        byte[] values = [.. Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 7))];
        string path = WriteIdx(folder.File("x-idx3-ubyte.gz"), IdxReader.UnsignedByte, [2, 3, 4], values);
        var array = IdxReader.Read(path);
        Assert.Equal([2, 3, 4], array.Dimensions);
        Assert.Equal(12, array.ItemSize);
        Assert.Equal(values, array.Data);
    }

    [Fact]
    public void Bad_files_give_one_line_errors_naming_the_file_and_the_problem()
    {
        using var folder = new TemporaryFolder("idx");
        string truncated = WriteIdx(folder.File("truncated.gz"), IdxReader.UnsignedByte, [2, 3], new byte[5]);
        string extra = WriteIdx(folder.File("extra.gz"), IdxReader.UnsignedByte, [2], new byte[3]);
        string floats = WriteIdx(folder.File("floats.gz"), 0x0D, [1], new byte[4]);
        string notIdx = folder.File("text.idx");
        File.WriteAllText(notIdx, "hello world");
        string notGzip = folder.File("plain.gz");
        File.WriteAllText(notGzip, "hello world");

        AssertError(truncated, "holds only 5", () => IdxReader.Read(truncated));
        AssertError(extra, "more data than its header", () => IdxReader.Read(extra));
        AssertError(floats, "type 0x0d", () => IdxReader.Read(floats));
        AssertError(notIdx, "not an idx file", () => IdxReader.Read(notIdx));
        AssertError(notGzip, "gzip", () => IdxReader.Read(notGzip));

        // A labels file that does not match its images file, and a label outside the class list.
        string images = WriteIdx(folder.File("images.gz"), IdxReader.UnsignedByte, [3, 2, 2], new byte[12]);
        string twoLabels = WriteIdx(folder.File("labels2.gz"), IdxReader.UnsignedByte, [2], [0, 1]);
        string badLabel = WriteIdx(folder.File("labels-bad.gz"), IdxReader.UnsignedByte, [3], [0, 1, 10]);
        AssertError(twoLabels, "2 labels but", () => MnistDataset.ReadSet("t", images, twoLabels, 10));
        AssertError(badLabel, "label 10 of item 2", () => MnistDataset.ReadSet("t", images, badLabel, 10));
        AssertError(twoLabels, "3 dimensions", () => MnistDataset.ReadSet("t", twoLabels, twoLabels, 10));
    }

    [Fact]
    public void Nested_class_samples_are_balanced_nested_and_seeded()
    {
        int[] labels = [.. Enumerable.Range(0, 300).Select(i => i % 3)];
        var sample = new NestedClassSample(labels, 3, seed: 5);
        var four = sample.Take(4);
        var sixteen = sample.Take(16);
        Assert.Equal(12, four.Length);
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(16, sixteen.Count(i => labels[i] == c)));
        Assert.Subset(sixteen.ToHashSet(), four.ToHashSet());
        Assert.Equal(four, new NestedClassSample(labels, 3, seed: 5).Take(4));
        Assert.NotEqual(four, new NestedClassSample(labels, 3, seed: 6).Take(4));
        Assert.Throws<ArgumentException>(() => sample.Take(101));
    }

    private static void AssertError(string path, string fragment, Action action)
    {
        var error = Assert.Throws<DataException>(action);
        Assert.Contains(path, error.Message);
        Assert.Contains(fragment, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static string WriteIdx(string path, byte type, int[] dimensions, byte[] values)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write([0, 0, type, (byte)dimensions.Length]);
        foreach (int d in dimensions)
            gzip.Write([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        gzip.Write(values);
        return path;
    }
}
