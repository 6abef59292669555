using MLPipelines.Torch.Interpretability;
using static MLPipelines.Tests.Torch.Interpretability.InterpretabilityModels;

namespace MLPipelines.Tests.Torch.Interpretability;

/// <summary>The TorchSharp view of a catalog classifier sees exactly what the stock ML.NET pipeline of <c>classify</c> sees.</summary>
public class DifferentiableClassifierTests
{
    [Theory]
    [InlineData("squeezenet1.1-7")]           // logits, ImageNet mean/std, resize to 256 then crop 224
    [InlineData("squeezenet1.0-tflite")]      // softmax probabilities over 1001 classes, (x − 127.5) / 127.5
    public void Probabilities_equal_the_stock_MLNet_pipeline(string model)
    {
        var stock = Stock(model);
        using var classifier = Differentiable(stock);
        string[] images = [Image("kitten_224.png"), Image("000017.jpg")];
        var expected = stock.Classify(images).Probabilities;
        for (int i = 0; i < images.Length; i++)
        {
            using var pixels = classifier.LoadPixels(images[i]);
            var actual = classifier.Probabilities(pixels);
            Assert.Equal(expected[i].Length, actual.Length);
            Assert.Equal(1.0, actual.Sum(), 4);
            double maxDifference = actual.Zip(expected[i], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(maxDifference < 1e-4, $"{model} on {Path.GetFileName(images[i])}: max probability difference {maxDifference:g3}");
        }
    }

    [Fact]
    public void Class_names_resolve_by_name_prefix_and_index_with_clear_errors()
    {
        using var classifier = Differentiable(Stock("squeezenet1.1-7"));
        Assert.Equal(281, classifier.ClassIndex("tabby"));
        Assert.Equal(867, classifier.ClassIndex("trailer truck"));
        Assert.Equal(5, classifier.ClassIndex("5"));
        Assert.Contains("no class named", Assert.Throws<ArgumentException>(() => classifier.ClassIndex("unicorn")).Message);
        Assert.Contains("ambiguous", Assert.Throws<ArgumentException>(() => classifier.ClassIndex("t")).Message);
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => classifier.ClassIndex("1000")).Message);
    }
}
