using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLPipelines.Catalog;
using MLPipelines.Imaging;
using MLPipelines.Imaging.Augmentation;
using MLPipelines.Onnx;

namespace MLPipelines.Tests.Onnx;

/// <summary>The featurizer graphs (normalization prepended, cut, flip averaging) compute what the original model computes.</summary>
public class FeaturizerGraphTests
{
    private static readonly string[] Images = Directory.GetFiles(RepositoryPaths.SharedPath("images"));

    // The original model on images cropped and normalized by hand (the crop is the centre p.Width × p.Height of the loaded image).
    private static float[][] RawFeatures(string modelPath, string input, string output, IEnumerable<ImageTensor> images, PreprocessingSpec p)
    {
        using var session = new InferenceSession(modelPath);
        return images.Select(image =>
        {
            int left = (image.Width - p.Width) / 2, top = (image.Height - p.Height) / 2;
            var tensor = new DenseTensor<float>([1, 3, p.Height, p.Width]);
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < p.Height; y++)
                    for (int x = 0; x < p.Width; x++)
                        tensor[0, c, y, x] = (image[c, top + y, left + x] - p.Mean[c]) / p.Std[c];
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, tensor)], [output]);
            return results[0].AsTensor<float>().ToArray();
        }).ToArray();
    }

    private static double RelativeDifference(float[] a, float[] b) =>
        a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) / b.Max(Math.Abs);

    [Theory]
    [InlineData("squeezenet1.1-7")]
    [InlineData("mobilenetv2-1.0-bn-features")]
    public void Featurizer_equals_the_original_model_on_normalized_pixels(string modelName)
    {
        var card = ModelCatalog.BuiltIn.Get(modelName);
        string path = RepositoryPaths.Model(modelName);
        var featurizer = FeaturizerModel.ForBackbone(card, path, TestCache.Root);
        var p = card.Preprocessing;
        var images = Images.Select(f => ImageTensor.Load(f, p.LoadWidth, p.LoadHeight)).ToList();

        var expected = RawFeatures(path, card.Input.Name, card.FeatureOutput.Name, images, card.Preprocessing);
        using var runner = new OnnxFeaturizer(featurizer.Path);
        var actual = runner.Run(images.Select(i => i.Data).ToList());

        Assert.Equal(card.FeatureOutput.ValuesPerExample, runner.FeatureSize);
        for (int i = 0; i < images.Count; i++)
            Assert.True(RelativeDifference(actual[i], expected[i]) < 1e-5, $"{Images[i]}: relative difference {RelativeDifference(actual[i], expected[i])}");
    }

    [Fact]
    public void Flip_averaging_graph_averages_the_features_of_the_image_and_its_mirror_image()
    {
        var card = ModelCatalog.BuiltIn.Get("squeezenet1.1-7");
        string path = RepositoryPaths.Model("squeezenet1.1-7");
        var plain = FeaturizerModel.ForBackbone(card, path, TestCache.Root);
        var tta = FeaturizerModel.ForBackbone(card, path, TestCache.Root, averageOverFlip: true);
        Assert.NotEqual(plain.Key, tta.Key);
        var images = Images.Select(f => ImageTensor.Load(f, card.Preprocessing.LoadWidth, card.Preprocessing.LoadHeight)).ToList();

        using var plainRunner = new OnnxFeaturizer(plain.Path);
        using var ttaRunner = new OnnxFeaturizer(tta.Path);
        var straight = plainRunner.Run(images.Select(i => i.Data).ToList());
        var mirrored = plainRunner.Run(images.Select(i => RandomHorizontalFlip.Flip(i).Data).ToList());
        var averaged = ttaRunner.Run(images.Select(i => i.Data).ToList());

        for (int i = 0; i < images.Count; i++)
        {
            var expected = straight[i].Zip(mirrored[i], (a, b) => (a + b) / 2).ToArray();
            Assert.True(RelativeDifference(averaged[i], expected) < 1e-5);
            Assert.True(RelativeDifference(straight[i], mirrored[i]) > 1e-3, "the mirror image should change the features");
        }
    }

    [Fact]
    public void Cutting_at_an_unknown_tensor_names_it()
    {
        var model = OnnxModelFile.Load(RepositoryPaths.Model("squeezenet1.1-7"));
        var error = Assert.Throws<OnnxFormatException>(() => OnnxGraphEditor.SelectOutputs(model, [("no_such_tensor", "Features")]));
        Assert.Contains("no_such_tensor", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_a_clear_error()
    {
        using var folder = new TemporaryFolder("onnx");
        string path = folder.File("fake.onnx");
        File.WriteAllText(path, "definitely not protobuf \u0001\u0002");
        var error = Assert.Throws<OnnxFormatException>(() => OnnxModelFile.Load(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Flip_averaging_works_on_a_graph_input_and_averages_the_outputs_of_each_image_and_its_mirror_image()
    {
        // Input [N, 1, 1, 3] flattened to [N, 3]: the mirror image of a row (a, b, c) is (c, b, a).
        var graph = new MLPipelines.Onnx.Proto.GraphProto { Name = "flatten" };
        graph.Input.Add(OnnxTensors.FloatValueInfo("x", "N", 1, 1, 3));
        graph.Output.Add(OnnxTensors.FloatValueInfo("y", "N", 3));
        graph.Node.Add(OnnxTensors.Node("Flatten", "flatten", ["x"], ["y"], OnnxTensors.IntAttribute("axis", 1)));
        var model = new MLPipelines.Onnx.Proto.ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new MLPipelines.Onnx.Proto.OperatorSetIdProto { Domain = "", Version = 13 });

        var averaged = OnnxGraphEditor.AverageOverHorizontalFlip(model, "x", "y", 3);
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "tta.onnx");
        OnnxModelFile.Save(averaged, path);
        using var session = new InferenceSession(path);
        var input = new DenseTensor<float>(new float[] { 1, 2, 6, -3, 0, 3 }, [2, 1, 1, 3]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", input)]);
        var output = results[0].AsTensor<float>();

        Assert.Equal([2, 3], output.Dimensions.ToArray());
        Assert.Equal([3.5f, 2f, 3.5f, 0f, 0f, 0f], output.ToArray());
        Assert.Single(graph.Node); // the input model is untouched
    }
}
