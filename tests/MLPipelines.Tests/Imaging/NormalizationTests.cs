using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Catalog;
using MLPipelines.Imaging;
using MLPipelines.Onnx;

namespace MLPipelines.Tests.Imaging;

/// <summary>Per-channel normalization in stock ML.NET (ExtractPixels /255 + ONNX Sub/Div) and streamed channel statistics.</summary>
public class NormalizationTests
{
    private sealed class Row
    {
        public string ImagePath { get; set; } = "";
    }

    [Fact]
    public void Per_channel_normalization_equals_a_hand_computation_on_a_known_image()
    {
        using var folder = new TemporaryFolder("norm");
        string path = TestImages.WritePng(folder.File("ramp.png"), 8, 8, TestImages.Ramp);
        var preprocessing = new PreprocessingSpec { Size = [8, 8], Mean = [0.5f, 0.25f, 0.125f], Std = [0.2f, 0.4f, 0.1f] };
        var featurizer = FeaturizerModel.ForNormalizedPixels(preprocessing, folder.Path);

        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable([new Row { ImagePath = path }]);
        var normalized = ml.Transforms.FeaturizeImages(featurizer).Fit(data).Transform(data)
            .GetColumn<VBuffer<float>>(ColumnNames.Features).Single().DenseValues().ToArray();

        Assert.Equal(3 * 64, normalized.Length);
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
            {
                var color = TestImages.Ramp(x, y);
                double[] expected =
                [
                    (color.Red / 255.0 - 0.5) / 0.2,
                    (color.Green / 255.0 - 0.25) / 0.4,
                    (color.Blue / 255.0 - 0.125) / 0.1,
                ];
                for (int c = 0; c < 3; c++)
                    Assert.Equal(expected[c], normalized[c * 64 + y * 8 + x], 5);
            }
    }

    [Fact]
    public void Streamed_channel_statistics_equal_the_statistics_of_all_pixels_at_once()
    {
        using var folder = new TemporaryFolder("stats");
        var paths = new[]
        {
            TestImages.WritePng(folder.File("ramp.png"), 8, 8, TestImages.Ramp),
            TestImages.WritePng(folder.File("flat.png"), 8, 8, (_, _) => new SkiaSharp.SKColor(10, 200, 30)),
            TestImages.WritePng(folder.File("stripes.png"), 8, 8, (x, _) => x % 2 == 0 ? SkiaSharp.SKColors.White : SkiaSharp.SKColors.Black),
        };
        var statistics = ChannelStatistics.Compute(paths, 8, 8, batchSize: 2);

        for (int c = 0; c < 3; c++)
        {
            var values = paths.SelectMany(p => ImageTensor.Load(p, 8, 8).Data.Skip(c * 64).Take(64)).Select(v => (double)v).ToArray();
            double mean = values.Average();
            double std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
            Assert.Equal(mean, statistics.Mean[c], 5);
            Assert.Equal(std, statistics.Std[c], 5);
        }
        Assert.Equal(3, statistics.ImageCount);
    }
}
