using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Architectures;
using MLPipelines.Catalog;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.Onnx;
using MLPipelines.Torch.Onnx.Parity;
using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Tests.Torch.Onnx;

/// <summary>Trained networks go back to ONNX: ONNX Runtime and a stock ML.NET pipeline score them as TorchSharp does.</summary>
public class OnnxExportTests
{
    private const int Size = 224;

    [Theory]
    [InlineData("mobilenetv2-1.0-bn-features", "features")]
    [InlineData("squeezenet1.0-tflite", "prob")]
    public void Import_then_export_of_an_untrained_model_gives_bit_identical_onnx_runtime_outputs(string name, string output)
    {
        var original = OnnxModelFile.Load(RepositoryPaths.Model(name));
        using var module = OnnxModule.FromModel(original);
        var exported = module.ToModel(new OnnxExportOptions { LogitsName = output });
        var images = OnnxBridgeData.SampleImages().Take(2).ToList();
        float[] input = OnnxBridgeData.Normalized(images, Size);
        long[] shape = [images.Count, 3, Size, Size];

        var expected = OnnxRuntimeParity.RunOnnxRuntime(original, input, shape)[output];
        var actual = OnnxRuntimeParity.RunOnnxRuntime(exported, input, shape);

        Assert.Equal([output], actual.Keys);
        Assert.Equal(expected, actual[output]);
        Assert.Equal(13, OnnxModelFile.DefaultOpset(exported));
        Assert.Equal("N", exported.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
    }

    [Fact]
    public void A_fine_tuned_seven_class_network_scores_the_same_in_torchsharp_onnx_runtime_and_ml_net()
    {
        TorchSharpRuntime.EnsureInitialized();
        torch.manual_seed(4);
        var (files, labels) = OnnxBridgeData.PacsCartoon(OnnxBridgeData.PacsClasses, 2);
        files = files.Concat(OnnxBridgeData.PacsCartoon(["dog", "person"], 3).Files.Skip(2).Where((_, i) => i % 3 == 0)).ToList();
        labels = [.. labels, 0, 6];
        using var backbone = OnnxModule.Load(RepositoryPaths.Model("mobilenetv2-1.0-bn-features"));
        using var module = backbone.WithClassificationHead(OnnxBridgeData.PacsClasses.Length, dropout: 0.2, seed: 1);
        module.FreezeAllButLastBlocks(1);
        Assert.True(module.BackboneParameters().Any(p => p.requires_grad), "the last block trains");
        using var x = OnnxBridgeData.Batch(OnnxBridgeData.Normalized(files, Size), files.Count, Size);
        using var y = torch.tensor(labels);
        using var optimizer = torch.optim.SGD(module.parameters().Where(p => p.requires_grad), 0.05, momentum: 0.9);
        module.train();
        for (int step = 0; step < 2; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(module.forward(x), y).backward();
            optimizer.step();
        }
        module.eval();
        float[] torchLogits;
        using (torch.no_grad())
            torchLogits = module.forward(x).data<float>().ToArray();

        // Exported with the normalization in the graph: the input takes raw 0..255 pixels, as ML.NET extracts them.
        using var folder = new TemporaryFolder("finetuned");
        string path = folder.File("pacs7.onnx");
        module.Save(path, new OnnxExportOptions
        {
            Mean = PreprocessingSpec.ImageNetMean, Std = PreprocessingSpec.ImageNetStd, Scale = 1f / 255f, ProbabilitiesName = "probabilities",
        });
        float[] pixels = OnnxBridgeData.Pixels(files, Size).Select(v => v * 255f).ToArray();
        var onnxRuntime = OnnxRuntimeParity.RunOnnxRuntime(OnnxModelFile.Load(path), pixels, [files.Count, 3, Size, Size]);
        Assert.True(OnnxBridgeData.Relative(onnxRuntime["logits"], torchLogits) <= 1e-4, $"ONNX Runtime: {OnnxBridgeData.Relative(onnxRuntime["logits"], torchLogits):E2}");
        for (int i = 0; i < files.Count; i++)
            Assert.Equal(1.0, onnxRuntime["probabilities"].Skip(7 * i).Take(7).Sum(), 4);

        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, files.Count).Select(i => new PixelRow { Input = pixels.Skip(i * 3 * Size * Size).Take(3 * Size * Size).ToArray() });
        var data = ml.Data.LoadFromEnumerable(rows);
        var scored = ml.Transforms.ApplyOnnxModel(["logits"], ["input"], path).Fit(data).Transform(data);
        float[] mlNet = scored.GetColumn<float[]>("logits").SelectMany(v => v).ToArray();
        Assert.True(OnnxBridgeData.Relative(mlNet, torchLogits) <= 1e-4, $"ML.NET: {OnnxBridgeData.Relative(mlNet, torchLogits):E2}");
    }

    public static TheoryData<string, string[], int> Architectures => new()
    {
        { "resnet18", ["classes=5", "input-size=32"], 32 },
        { "mobilenetv2", ["classes=5", "input-size=32", "width=0.5"], 32 },
        { "convnet", ["batch-norm=true", "dropout=0.1", "dense-sizes=64", "hidden-sizes=16,32"], 32 },
        { "lenet", [], 28 },
        { "mlp", ["activation=tanh"], 28 },
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Built_in_architectures_execute_and_export_like_onnx_runtime(string architecture, string[] settings, int size)
    {
        var definition = ArchitectureRegistry.Get(architecture);
        var model = definition.Build(definition.Options(ArchitectureOptionBinder.ParseSettings(settings)));
        int channels = (int)model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue;
        long[] shape = [3, channels, size, size];
        float[] input = Enumerable.Range(0, (int)(shape.Aggregate(1L, (a, b) => a * b))).Select(i => MathF.Sin(i * 0.37f)).ToArray();

        var parity = OnnxRuntimeParity.Measure(model, architecture, input, shape);
        Assert.All(parity.Outputs, o => Assert.True(o.Relative <= 1e-4, $"{o.Name}: {o.Relative:E2}"));

        using var module = OnnxModule.FromModel(model);
        module.eval();
        float[] torchLogits;
        using (torch.no_grad())
            torchLogits = module.forward(torch.tensor(input, shape)).data<float>().ToArray();
        var exported = OnnxRuntimeParity.RunOnnxRuntime(module.ToModel(), input, shape)["logits"];
        Assert.True(OnnxBridgeData.Relative(exported, torchLogits) <= 1e-4);
    }

    private sealed class PixelRow
    {
        [ColumnName("input"), VectorType(3, Size, Size)]
        public float[] Input { get; set; } = [];
    }
}
