using MLPipelines.Catalog;
using MLPipelines.Onnx;
using MLPipelines.Visualization;

namespace MLPipelines.Tests.Visualization;

public class NetworkVisualizerTests
{
    [Fact]
    public void SqueezeNet_1_0_filter_grid_is_8_by_12_tiles_of_7_by_7_pixels()
    {
        var grid = FilterGrid.Create(FirstConvolution.Find(OnnxModelFile.Load(RepositoryPaths.Model("squeezenet1.0-tflite"))));
        Assert.Equal((8, 12), (grid.Rows, grid.Columns));
        Assert.Equal((7, 7), (grid.TileHeight, grid.TileWidth));
        Assert.Equal(96, grid.Tiles.Count);
        // Each tile is normalized on its own: its smallest weight becomes 0 and its largest 1.
        Assert.All(grid.Tiles, t => { Assert.Equal(0f, t.Data.Min(), 6); Assert.Equal(1f, t.Data.Max(), 6); });
    }

    [Theory]
    [InlineData("mobilenetv2-7-classifier", 32, 4, 8)]
    [InlineData("squeezenet1.1-7", 64, 8, 8)]
    public void Every_catalog_cnn_gets_a_square_ish_filter_grid(string model, int filters, int rows, int columns)
    {
        var grid = FilterGrid.Create(FirstConvolution.Find(OnnxModelFile.Load(RepositoryPaths.Model(model))));
        Assert.Equal(filters, grid.Tiles.Count);
        Assert.Equal((rows, columns), (grid.Rows, grid.Columns));
        Assert.Equal(3, grid.TileWidth);
    }

    [Fact]
    public void Filter_tiles_follow_the_weights_of_the_first_convolution()
    {
        var convolution = FirstConvolution.Find(OnnxModelFile.Load(RepositoryPaths.Model("squeezenet1.1-7")));
        var tile = FilterGrid.Create(convolution).Tiles[5];
        var weights = convolution.Weights.AsSpan(5 * 27, 27).ToArray();
        float min = weights.Min(), max = weights.Max();
        // Red channel, row 1, column 2 of filter 5.
        Assert.Equal((weights[0 * 9 + 1 * 3 + 2] - min) / (max - min), tile[0, 1, 2], 6);
        Assert.Equal((weights[2 * 9 + 2 * 3 + 0] - min) / (max - min), tile[2, 2, 0], 6);
    }

    [Fact]
    public void Activation_maps_are_non_negative_after_relu_and_equal_relu_of_the_maps_before()
    {
        var card = ModelCatalog.BuiltIn.Get("squeezenet1.0-tflite");
        var maps = ActivationMaps.Compute(OnnxModelFile.Load(RepositoryPaths.Model("squeezenet1.0-tflite")), card,
            RepositoryPaths.SharedPath("images", "kitten_224.png"));
        Assert.Equal(16, maps.Before.Count);
        Assert.Equal("Relu", maps.Convolution.ActivationOp);
        for (int k = 0; k < 16; k++)
            foreach (var (before, after) in maps.Before[k].Cast<float>().Zip(maps.After![k].Cast<float>()))
                Assert.Equal(Math.Max(before, 0), after, 5);
        Assert.True(maps.Before.SelectMany(m => m.Cast<float>()).Any(v => v < 0), "a convolution output should have negative values");
    }

    [Fact]
    public void Report_has_predictions_filters_and_activation_pictures()
    {
        using var folder = new TemporaryFolder("visualize");
        var card = ModelCatalog.BuiltIn.Get("squeezenet1.0-tflite");
        var assets = new AssetLocator(TestCache.Assets);
        string image = RepositoryPaths.SharedPath("images", "kitten_224.png");
        var sections = new NetworkVisualizer(assets).Sections(card, assets.LocateModel(card), image, folder.Path);
        string report = File.ReadAllText(NetworkVisualizer.WriteReport(folder.Path, card, image, sections));

        Assert.Contains("tabby", report);
        foreach (var png in new[] { "filters.png", "activations-before.png", "activations-after.png" })
        {
            Assert.Contains($"({png})", report);
            Assert.True(new FileInfo(Path.Combine(folder.Path, png)).Length > 1000, $"{png} is missing or empty");
        }
    }
}
