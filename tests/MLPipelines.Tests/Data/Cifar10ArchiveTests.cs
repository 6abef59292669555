using System.Formats.Tar;
using System.IO.Compression;
using MLPipelines.Catalog;
using MLPipelines.Data;
using MLPipelines.Data.Cifar10;
using MLPipelines.Imaging;
using SkiaSharp;

namespace MLPipelines.Tests.Data;

public class Cifar10ArchiveTests
{
    [Fact]
    public void Reads_the_shared_test_split_with_1000_images_per_class_in_the_original_order()
    {
        string archive = Cifar10Archive.Locate(new AssetLocator(TestCache.Assets));
        var test = Cifar10Archive.Read(archive, new Cifar10Selection { Split = "test" });
        Assert.Equal(10_000, test.Count);
        Assert.All(test.CountPerClass(), c => Assert.Equal(1000, c));
        Assert.Equal(Enumerable.Range(0, 1000), test.Numbers.Take(1000));
        // Real photos: the mean pixel is mid-grey-ish, not 0 (undecoded) or 255.
        double mean = test.Pixels.Average(b => (double)b);
        Assert.InRange(mean, 100, 140);

        // A class subset relabels in the given order and caps per class keep the first images in the original order.
        var subset = Cifar10Archive.Read(archive, new Cifar10Selection
        {
            Split = "test",
            Classes = ["truck", "cat"],
            MaxPerClassByName = new Dictionary<string, int> { ["truck"] = 7 },
            MaxPerClass = 3,
        });
        Assert.Equal([7, 3], subset.CountPerClass());
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 0, 1, 2], subset.Numbers);
        int truck = Cifar10Archive.Classes.ToList().IndexOf("truck");
        Assert.Equal(test.Image(truck * 1000 + 4).ToArray(), subset.Image(4).ToArray());
    }

    [Fact]
    public void A_small_archive_reads_sorted_and_extracts_to_an_image_folder_with_the_same_pixels()
    {
        using var folder = new TemporaryFolder("cifar");
        string archive = folder.File("mini.tar.gz");
        // Entries deliberately out of order, as in the real archive; the colours tell the images apart.
        WriteArchive(archive, [("train/cat/0002.jpg", SKColors.Red), ("train/airplane/0000.jpg", SKColors.Blue),
            ("train/cat/0000.jpg", SKColors.Lime), ("test/cat/0000.jpg", SKColors.White)]);

        var train = Cifar10Archive.Read(archive);
        Assert.Equal([0, 3, 3], train.Labels);
        Assert.Equal([0, 0, 2], train.Numbers);
        var green = train.ToImageTensor(1);
        Assert.True(green[1, 16, 16] > 0.9f && green[0, 16, 16] < 0.1f, "the green image decodes as green");

        string extracted = Cifar10Archive.Extract(archive, folder.File("cache"));
        var dataset = ImageFolderDataset.Load(Path.Combine(extracted, "train"));
        Assert.Equal(["airplane", "cat"], dataset.Classes);
        Assert.Equal(3, dataset.Images.Count);
        var fromFolder = ImageDecoder.ToPlanarRgb(ImageDecoder.Decode(Path.Combine(extracted, "train", "cat", "0002.jpg")));
        Assert.Equal(train.Image(2).ToArray(), fromFolder);
        Assert.Equal(extracted, Cifar10Archive.Extract(archive, folder.File("cache"))); // second call reuses it
        Assert.DoesNotContain(Directory.GetDirectories(folder.File("cache")), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void Bad_input_names_the_archive_and_the_problem()
    {
        using var folder = new TemporaryFolder("cifar");
        string archive = folder.File("mini.tar.gz");
        WriteArchive(archive, [("train/cat/0000.jpg", SKColors.Red)]);
        var unknownClass = Assert.Throws<DataException>(() => Cifar10Archive.Read(archive, new Cifar10Selection { Classes = ["cat", "unicorn"] }));
        Assert.Contains(archive, unknownClass.Message);
        Assert.Contains("'unicorn'", unknownClass.Message);
        var badSplit = Assert.Throws<DataException>(() => Cifar10Archive.Read(archive, new Cifar10Selection { Split = "validation" }));
        Assert.Contains("'validation'", badSplit.Message);
        string notArchive = folder.File("junk.tar.gz");
        File.WriteAllText(notArchive, "not gzip");
        var junk = Assert.Throws<DataException>(() => Cifar10Archive.Read(notArchive));
        Assert.Contains(notArchive, junk.Message);
    }

    private static void WriteArchive(string path, IEnumerable<(string Name, SKColor Color)> entries)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var (name, color) in entries)
        {
            using var bitmap = new SKBitmap(32, 32);
            bitmap.Erase(color);
            using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "cifar10-jpg/" + name) { DataStream = new MemoryStream(data.ToArray()) };
            tar.WriteEntry(entry);
        }
    }
}
