using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Catalog;
using MLPipelines.Imaging;

namespace MLPipelines.Tests.Imaging;

/// <summary>
/// The library decodes and resizes images itself (for the feature cache and augmentation); those pixels must be exactly the
/// ones ML.NET's LoadImages → ResizeImages → ExtractPixels give inside a saved model.zip.
/// </summary>
public class ImageDecoderParityTests
{
    private sealed class Row
    {
        public string ImagePath { get; set; } = "";
    }

    [Theory]
    [InlineData(224, ImageResizeKind.CenterCrop)]
    [InlineData(32, ImageResizeKind.CenterCrop)]
    [InlineData(300, ImageResizeKind.Pad)]
    public void Pixels_equal_ml_net_image_pipeline_bit_for_bit(int size, ImageResizeKind resize)
    {
        var files = Directory.GetFiles(RepositoryPaths.PacsCartoon, "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(40)
            .Concat(Directory.GetFiles(RepositoryPaths.SharedPath("images")))
            .ToArray();
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(files.Select(f => new Row { ImagePath = f }));
        var preprocessing = new PreprocessingSpec { Size = [size, size], Resize = resize };
        var pixels = ml.Transforms.LoadImagePixels(preprocessing).Fit(data).Transform(data)
            .GetColumn<VBuffer<float>>(ColumnNames.Pixels).Select(v => v.DenseValues().ToArray()).ToArray();

        for (int i = 0; i < files.Length; i++)
        {
            var ours = ImageTensor.Load(files[i], size, size, resize).Data;
            Assert.True(ours.AsSpan().SequenceEqual(pixels[i]), $"{files[i]} differs from ML.NET's pixels at size {size} ({resize})");
        }
    }

    [Fact]
    public void Bgr_models_get_blue_first_as_ml_net_extracts_it()
    {
        using var folder = new TemporaryFolder("bgr");
        string path = TestImages.WritePng(folder.File("ramp.png"), 8, 8, TestImages.Ramp);
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable([new Row { ImagePath = path }]);
        var preprocessing = new PreprocessingSpec { Size = [8, 8], ChannelOrder = ChannelOrder.Bgr };
        var mlNet = ml.Transforms.LoadImagePixels(preprocessing).Fit(data).Transform(data)
            .GetColumn<VBuffer<float>>(ColumnNames.Pixels).Single().DenseValues().ToArray();
        var ours = ImageTensor.Load(path, 8, 8).ToModelInput(ChannelOrder.Bgr);
        Assert.Equal(mlNet, ours);
        Assert.Equal(TestImages.Ramp(2, 1).Blue / 255f, ours[1 * 8 + 2], 1e-6);
    }
}
