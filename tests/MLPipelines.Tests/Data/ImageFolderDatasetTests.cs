using MLPipelines.Data;
using MLPipelines.Imaging;
using SkiaSharp;

namespace MLPipelines.Tests.Data;

/// <summary>The image-folder loader: formats, conversions, skipped files and clear errors.</summary>
public class ImageFolderDatasetTests
{
    private static string[] CartoonImages(string label, int count) =>
        Directory.GetFiles(Path.Combine(RepositoryPaths.PacsCartoon, label), "*.jpg").Order(StringComparer.Ordinal).Take(count).ToArray();

    [Fact]
    public void Corrupt_truncated_and_non_image_files_are_skipped_and_listed_with_a_reason()
    {
        using var folder = new TemporaryFolder("folder");
        foreach (var image in CartoonImages("dog", 3))
            File.Copy(image, folder.File("dog", Path.GetFileName(image)));
        foreach (var image in CartoonImages("horse", 2))
            File.Copy(image, folder.File("horse", Path.GetFileName(image)));
        var source = File.ReadAllBytes(CartoonImages("dog", 4)[3]);
        File.WriteAllBytes(folder.File("dog", "truncated.jpg"), source[..(source.Length / 2)]);
        File.WriteAllText(folder.File("dog", "not-really.jpg"), "this is text, not a JPEG");
        File.WriteAllText(folder.File("horse", "notes.txt"), "annotator notes");
        File.WriteAllText(folder.File("horse", ".DS_Store"), "hidden files are not data");

        var dataset = ImageFolderDataset.Load(folder.Path);

        Assert.Equal(["dog", "horse"], dataset.Classes);
        Assert.Equal(5, dataset.Images.Count);
        Assert.Equal(3, dataset.Skipped.Count);
        Assert.Contains(dataset.Skipped, s => s.Path.EndsWith("truncated.jpg") && s.Reason.Contains("truncated"));
        Assert.Contains(dataset.Skipped, s => s.Path.EndsWith("not-really.jpg") && s.Reason.Contains("not a decodable image"));
        Assert.Contains(dataset.Skipped, s => s.Path.EndsWith("notes.txt") && s.Reason.Contains("not an image file"));
        Assert.DoesNotContain(dataset.Images, i => i.Path.Contains("truncated") || i.Path.Contains("not-really"));
    }

    [Fact]
    public void Png_bmp_webp_grayscale_and_alpha_images_load_as_rgb()
    {
        using var folder = new TemporaryFolder("formats");
        TestImages.WritePng(folder.File("a", "ramp.png"), 8, 8, TestImages.Ramp);
        TestImages.WritePng(folder.File("a", "alpha.png"), 8, 8, (x, y) => new SKColor(200, 100, 50, (byte)(x < 4 ? 255 : 0)));
        TestImages.WriteBmp(folder.File("b", "ramp.bmp"), 8, 8, TestImages.Ramp);
        using (var ramp = ImageDecoder.Decode(folder.File("a", "ramp.png")))
            TestImages.Save(ramp, folder.File("b", "ramp.webp"), SKEncodedImageFormat.Webp, 100);
        using (var gray = new SKBitmap(new SKImageInfo(8, 8, SKColorType.Gray8, SKAlphaType.Opaque)))
        {
            gray.Erase(new SKColor(90, 90, 90));
            TestImages.Save(gray, folder.File("b", "gray.jpg"), SKEncodedImageFormat.Jpeg, 100);
        }
        using (var check = SKCodec.Create(folder.File("b", "gray.jpg")))
            Assert.Equal(SKColorType.Gray8, check.Info.ColorType); // really a one-channel JPEG

        var dataset = ImageFolderDataset.Load(folder.Path);
        Assert.Empty(dataset.Skipped);
        Assert.Equal(5, dataset.Images.Count);

        var grayPixels = ImageTensor.Load(folder.File("b", "gray.jpg"), 8, 8);
        Assert.Equal(90 / 255f, grayPixels.Data[0], 1e-6);
        Assert.All(Enumerable.Range(0, 64), i =>
        {
            Assert.Equal(grayPixels.Data[i], grayPixels.Data[64 + i]);
            Assert.Equal(grayPixels.Data[i], grayPixels.Data[128 + i]);
        });
        // Transparent pixels are premultiplied, i.e. composited over black, exactly as ML.NET reads them at prediction time.
        var alpha = ImageTensor.Load(folder.File("a", "alpha.png"), 8, 8);
        Assert.Equal(200 / 255f, alpha[0, 0, 0], 1e-6);
        Assert.Equal(0f, alpha[0, 0, 7]);
        var webp = ImageTensor.Load(folder.File("b", "ramp.webp"), 8, 8);
        Assert.Equal(TestImages.Ramp(5, 3).Red / 255f, webp[0, 3, 5], 1e-6);
        var bmp = ImageTensor.Load(folder.File("b", "ramp.bmp"), 8, 8);
        Assert.Equal(TestImages.Ramp(6, 2).Blue / 255f, bmp[2, 2, 6], 1e-6);
    }

    [Fact]
    public void Missing_folder_single_class_and_empty_class_are_clear_errors()
    {
        using var folder = new TemporaryFolder("errors");
        var missing = Assert.Throws<DataException>(() => ImageFolderDataset.Load(Path.Combine(folder.Path, "nope")));
        Assert.Contains("does not exist", missing.Message);
        Assert.Contains("nope", missing.Message);

        File.Copy(CartoonImages("dog", 1)[0], folder.File("only", "one.jpg"));
        var single = Assert.Throws<DataException>(() => ImageFolderDataset.Load(folder.Path));
        Assert.Contains("only one class", single.Message);

        Directory.CreateDirectory(Path.Combine(folder.Path, "empty"));
        var empty = Assert.Throws<DataException>(() => ImageFolderDataset.Load(folder.Path));
        Assert.Contains("'empty' has no usable images", empty.Message);

        File.WriteAllText(folder.File("empty", "broken.png"), "not a png");
        var onlyBroken = Assert.Throws<DataException>(() => ImageFolderDataset.Load(folder.Path));
        Assert.Contains("1 file(s) skipped", onlyBroken.Message);
        Assert.DoesNotContain('\n', onlyBroken.Message);
    }
}
