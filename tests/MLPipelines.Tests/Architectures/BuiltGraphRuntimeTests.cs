using Microsoft.ML.OnnxRuntime;
using Google.Protobuf;
using MLPipelines.Architectures;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;

namespace MLPipelines.Tests.Architectures;

/// <summary>Every built graph is a valid ONNX model that ONNX Runtime runs at any batch size, with the promised tensors.</summary>
public class BuiltGraphRuntimeTests
{
    // Small inputs where the architecture allows, to keep the tests fast; ResNet-18 also runs at its default 224×224.
    public static TheoryData<string, string[], int, long> Architectures => new()
    {
        { "resnet18", ["classes=1000"], 224, 512 },
        { "resnet34", ["classes=7", "input-size=64"], 64, 512 },
        { "mobilenetv2", ["classes=5", "input-size=96"], 96, 1280 },
        { "mobilenetv2", ["classes=5", "input-size=64", "width=0.35"], 64, 1280 },
        { "convnet", ["batch-norm=true", "dropout=0.1", "dense-sizes=64"], 32, 64 },
        { "lenet", [], 28, 1000 },
        { "lenet", ["input-size=32"], 32, 1000 },
        { "mlp", ["activation=tanh"], 28, 128 },
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void RunsInOnnxRuntimeWithASymbolicBatch(string architecture, string[] settings, int size, long featureSize)
    {
        var definition = ArchitectureRegistry.Get(architecture);
        var options = definition.Options(ArchitectureOptionBinder.ParseSettings(settings));
        var model = definition.Build(options);

        Assert.Equal(GraphBuilder.Opset, OnnxModelFile.DefaultOpset(model));
        var input = Assert.Single(OnnxGraphEditor.DataInputs(model));
        Assert.Equal(ClassifierTensors.Input, input.Name);
        Assert.Equal(GraphBuilder.BatchDimension, input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal([ClassifierTensors.Logits, ClassifierTensors.Features], model.Graph.Output.Select(o => o.Name));
        Assert.All(model.Graph.Initializer, t => Assert.Equal((int)TensorProto.Types.DataType.Float, t.DataType));

        foreach (int batch in new[] { 2, 3 })
        {
            long[] shape = [batch, 3, size, size];
            var outputs = BuiltModels.Run(model, BuiltModels.RandomInput(shape, seed: batch), shape);
            Assert.Equal([batch, (long)options.Classes], outputs[ClassifierTensors.Logits].Shape);
            Assert.Equal([batch, featureSize], outputs[ClassifierTensors.Features].Shape);
            Assert.All(outputs[ClassifierTensors.Logits].Values, v => Assert.True(float.IsFinite(v)));
            // Different images give different logits: the graph is wired through, not constant.
            var logits = outputs[ClassifierTensors.Logits].Values;
            Assert.NotEqual(logits.AsSpan(0, options.Classes).ToArray(), logits.AsSpan(options.Classes, options.Classes).ToArray());
        }
    }

    [Fact]
    public void TrackedShapesAgreeWithTheShapesOnnxRuntimeMeasures()
    {
        // The builder writes value_info for every intermediate tensor from its own shape arithmetic; the summary measures them.
        var model = MobileNetV2.Build(new MobileNetV2Options { InputSize = 96, Classes = 3 });
        var declared = model.Graph.ValueInfo.ToDictionary(v => v.Name,
            v => "[" + string.Join(", ", v.Type.TensorType.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString() : d.DimParam)) + "]");
        var summary = ModelSummary.Create(model);
        Assert.Equal("ONNX Runtime", summary.ShapeSource);
        int compared = 0;
        foreach (var layer in summary.Layers.Where(l => declared.ContainsKey(l.Name)))
        {
            Assert.Equal(declared[layer.Name], layer.OutputShape);
            compared++;
        }
        Assert.True(compared > 100, $"only {compared} tensors compared");
    }

    [Fact]
    public void MlpComputesWhatItsWeightsSay()
    {
        // Hand-computed forward pass from the initializers: checks Gemm's [out, in] layout and the tanh built from Sigmoid.
        var model = Mlp.Build(new MlpOptions { InputSize = 2, InputChannels = 1, HiddenSizes = [3], Activation = MlpActivation.Tanh, Classes = 2, Seed = 5 });
        float[] x = [0.5f, -1f, 2f, 0.25f];
        float[] w1 = BuiltModels.Initializer(model, "fc1.weight"), b1 = BuiltModels.Initializer(model, "fc1.bias");
        float[] w2 = BuiltModels.Initializer(model, "fc2.weight"), b2 = BuiltModels.Initializer(model, "fc2.bias");
        var hidden = Enumerable.Range(0, 3).Select(j => Math.Tanh(b1[j] + Enumerable.Range(0, 4).Sum(i => (double)w1[j * 4 + i] * x[i]))).ToArray();
        var expected = Enumerable.Range(0, 2).Select(k => b2[k] + Enumerable.Range(0, 3).Sum(j => w2[k * 3 + j] * hidden[j])).ToArray();

        var outputs = BuiltModels.Run(model, x, [1, 1, 2, 2]);
        for (int j = 0; j < 3; j++) Assert.Equal(hidden[j], outputs[ClassifierTensors.Features].Values[j], 5);
        for (int k = 0; k < 2; k++) Assert.Equal(expected[k], outputs[ClassifierTensors.Logits].Values[k], 5);
    }

    [Fact]
    public void TheGraphCanBeCutAtFeatures()
    {
        var model = LeNet.Build();
        var cut = OnnxGraphEditor.SelectOutputs(model, [(ClassifierTensors.Features, ClassifierTensors.Features)]);
        Assert.DoesNotContain(cut.Graph.Initializer, t => t.Name.StartsWith("fc2.", StringComparison.Ordinal));
        long[] shape = [2, 3, 28, 28];
        var input = BuiltModels.RandomInput(shape);
        Assert.Equal(BuiltModels.Run(model, input, shape)[ClassifierTensors.Features].Values, BuiltModels.Run(cut, input, shape)[ClassifierTensors.Features].Values);
    }

    [Fact]
    public void ResNetNamesFollowTorchvision()
    {
        var names = ResNet.ResNet18().Graph.Initializer.Select(t => t.Name).ToHashSet();
        string[] expected =
        [
            "conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
            "layer1.0.conv1.weight", "layer1.0.bn1.running_mean", "layer1.1.conv2.weight",
            "layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_var", "layer4.1.bn2.bias", "fc.weight", "fc.bias",
        ];
        Assert.All(expected, name => Assert.Contains(name, names));
        Assert.DoesNotContain("layer1.0.downsample.0.weight", names);   // layer1 keeps 64 channels at stride 1
        Assert.DoesNotContain(names, n => n.EndsWith("conv1.bias", StringComparison.Ordinal));   // torchvision convs have no bias
        Assert.Equal(62, names.Count(n => !n.Contains("running_")));   // torchvision's resnet18 has 62 parameter tensors
    }

    [Fact]
    public void MobileNetV2NamesFollowTorchvision()
    {
        var names = MobileNetV2.Build().Graph.Initializer.Select(t => t.Name).ToHashSet();
        string[] expected =
        [
            "features.0.0.weight", "features.0.1.weight",
            "features.1.conv.0.0.weight", "features.1.conv.1.weight", "features.1.conv.2.running_mean",   // t = 1: no expansion
            "features.2.conv.0.0.weight", "features.2.conv.1.0.weight", "features.2.conv.2.weight", "features.2.conv.3.bias",
            "features.18.0.weight", "features.18.1.running_var", "classifier.1.weight", "classifier.1.bias",
        ];
        Assert.All(expected, name => Assert.Contains(name, names));
        Assert.Equal(158, names.Count(n => !n.Contains("running_")));   // torchvision's mobilenet_v2 has 158 parameter tensors
    }
}
