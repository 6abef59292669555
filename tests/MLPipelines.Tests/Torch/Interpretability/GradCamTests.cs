using MLPipelines.Evaluation;
using MLPipelines.Imaging;
using MLPipelines.Onnx;
using MLPipelines.Torch.Interpretability;
using static MLPipelines.Tests.Torch.Interpretability.InterpretabilityModels;

namespace MLPipelines.Tests.Torch.Interpretability;

/// <summary>Grad-CAM finds the object of a class: on a kitten-beside-a-fish composite, the cat map is on the left, the fish map on the right.</summary>
public class GradCamTests
{
    [Theory]
    [InlineData("squeezenet1.1-7")]
    [InlineData("mobilenetv2-7-classifier")]
    public void On_a_kitten_beside_a_fish_the_cat_map_is_left_and_the_fish_map_right(string model)
    {
        var stock = Stock(model);
        using var classifier = Differentiable(stock);
        // Each class is the model's own top-1 for the photo alone, so the test does not depend on which cat or fish class it is.
        int catClass = TopClass(classifier, Image("kitten_224.png"));
        int fishClass = TopClass(classifier, Image("fish.png"));
        Assert.NotEqual(catClass, fishClass);

        using var composite = classifier.FromImage(Composite(classifier.PixelWidth, classifier.PixelHeight));
        string layer = GradCam.DefaultLayer(OnnxModelFile.Load(new MLPipelines.Catalog.AssetLocator(TestCache.Assets).LocateModel(stock.Card)));
        var cat = GradCam.Compute(classifier, composite, catClass, layer);
        var fish = GradCam.Compute(classifier, composite, fishClass, layer);

        int width = classifier.Card.Preprocessing.Width, half = width / 2;
        Assert.Equal((224, 224), (cat.Map.GetLength(0), cat.Map.GetLength(1)));
        double catLeft = cat.MassInColumns(0, half), fishRight = fish.MassInColumns(half, width);
        Assert.True(catLeft > 0.6, $"{model}: {cat.ClassName} map has {catLeft:P0} of its mass on the kitten's half");
        Assert.True(fishRight > 0.6, $"{model}: {fish.ClassName} map has {fishRight:P0} of its mass on the fish's half");
        Assert.Equal(1f, cat.Map.Cast<float>().Max(), 5);
        Assert.True(cat.Map.Cast<float>().All(v => v >= 0 && v <= 1));
    }

    [Fact]
    public void The_default_layer_is_the_input_of_global_pooling()
    {
        var model = OnnxModelFile.Load(RepositoryPaths.Model("mobilenetv2-7-classifier"));
        string layer = GradCam.DefaultLayer(model);
        var pooling = model.Graph.Node.Last(n => n.OpType == "GlobalAveragePool");
        Assert.Equal(pooling.Input[0], layer);
        Assert.Contains(model.Graph.Node, n => n.Output.Contains(layer));
    }

    private static int TopClass(DifferentiableClassifier classifier, string path)
    {
        using var pixels = classifier.LoadPixels(path);
        return ClassificationMetrics.ArgMax(classifier.Probabilities(pixels));
    }

    // The kitten on the left half and the fish on the right, each scaled to half the width, on mid-grey.
    private static ImageTensor Composite(int width, int height)
    {
        int half = width / 2;
        var kitten = ImageTensor.Load(Image("kitten_224.png"), half, half);
        var fish = ImageTensor.Load(Image("fish.png"), half, half);
        var canvas = new ImageTensor(width, height);
        Array.Fill(canvas.Data, 0.5f);
        int top = (height - half) / 2;
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < half; y++)
                for (int x = 0; x < half; x++)
                {
                    canvas[c, top + y, x] = kitten[c, y, x];
                    canvas[c, top + y, half + x] = fish[c, y, x];
                }
        return canvas;
    }
}
