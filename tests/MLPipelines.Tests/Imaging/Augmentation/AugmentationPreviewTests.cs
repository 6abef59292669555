using MLPipelines.Imaging;
using MLPipelines.Imaging.Augmentation;

namespace MLPipelines.Tests.Imaging.Augmentation;

/// <summary>The preview grid PNG of a real PACS image.</summary>
public class AugmentationPreviewTests
{
    [Fact]
    public void Preview_writes_a_4_by_4_grid_of_distinct_draws()
    {
        string image = Directory.GetFiles(RepositoryPaths.SharedPath("datasets", "pacs", "cartoon", "dog")).Order().First();
        using var folder = new TemporaryFolder("preview");
        string png = folder.File("preview.png");
        var size = AugmentationPreview.Write(image, AugmentationSpec.Parse("reference-pacs"), png, count: 16, seed: 3);
        Assert.Equal(new ImageSize(4 * 200 + 5 * AugmentationPreview.Gap, 4 * 200 + 5 * AugmentationPreview.Gap), size);
        using var decoded = ImageDecoder.Decode(png);
        Assert.Equal((size.Width, size.Height), (decoded.Width, decoded.Height));
        // Tiles differ (random crops), and the same seed rewrites the same bytes.
        var tiles = Enumerable.Range(0, 16).Select(i => decoded.GetPixel(AugmentationPreview.Gap + i % 4 * 204 + 100, AugmentationPreview.Gap + i / 4 * 204 + 100)).Distinct().Count();
        Assert.True(tiles > 4, $"only {tiles} distinct tile centres");
        byte[] first = File.ReadAllBytes(png);
        AugmentationPreview.Write(image, AugmentationSpec.Parse("reference-pacs"), png, count: 16, seed: 3);
        Assert.Equal(first, File.ReadAllBytes(png));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }
}
