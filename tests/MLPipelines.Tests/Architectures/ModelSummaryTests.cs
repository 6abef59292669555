using MLPipelines.Architectures;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;
using static MLPipelines.Onnx.OnnxTensors;

namespace MLPipelines.Tests.Architectures;

/// <summary>The layer table and parameter counts of imported and built models.</summary>
public class ModelSummaryTests
{
    [Fact]
    public void SqueezeNetSummaryListsTheFirstConvAndTheTotal()
    {
        var model = OnnxModelFile.Load(RepositoryPaths.Model("squeezenet1.1-7"));
        var summary = ModelSummary.Create(model, name: "squeezenet1.1-7");

        var first = summary.Layers[0];
        Assert.Equal("Conv", first.OpType);
        Assert.Equal(64 * 3 * 3 * 3 + 64, first.Parameters);
        Assert.Contains("64×3×3×3", first.Tensors);
        Assert.Equal("[N, 64, 111, 111]", first.OutputShape);   // 3×3 stride 2, no padding: (224 − 3)/2 + 1
        Assert.Equal("[N, 1000]", summary.Layers.Single(l => l.Name == "flatten").OutputShape);
        // torchvision's squeezenet1_1 has 1,235,496 parameters; every initializer of this file is a float weight or bias.
        Assert.Equal(1_235_496, summary.Totals.Parameters);
        Assert.Equal(model.Graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (a, b) => a * b)), summary.Totals.Parameters);
        Assert.Equal(summary.Totals.Parameters, summary.Layers.Sum(l => l.Parameters));
        Assert.Equal(0, summary.Totals.Buffers);
        Assert.Equal(model.Graph.Node.Count(n => n.OpType != "Constant"), summary.Layers.Count);
    }

    [Fact]
    public void ImportedBatchNormMobileNetMatchesTheBuiltOneUpToItsExtraExpansion()
    {
        // The zoo's MobileNetV2 (GluonCV layout) also expands the first bottleneck (32 → 32, 1×1 conv + BN), which
        // torchvision skips for t = 1: 32·32 + 2·32 = 1,088 more parameters and 64 more running statistics.
        var imported = ModelSummary.CountParameters(OnnxModelFile.Load(RepositoryPaths.Model("mobilenetv2-1.0-bn-features")));
        var built = ModelSummary.CountParameters(MobileNetV2.Build());
        long builtFeatures = built.Parameters - (1280 * 1000 + 1000);
        Assert.Equal(builtFeatures + 32 * 32 + 2 * 32, imported.Parameters);
        Assert.Equal(built.Buffers + 2 * 32, imported.Buffers);
        Assert.Equal(53 * 2, imported.BufferTensors);
    }

    [Fact]
    public void QuantizedModelHasNoTrainableParameters()
    {
        var totals = ModelSummary.CountParameters(OnnxModelFile.Load(RepositoryPaths.Model("mobilenetv2-12-int8")));
        Assert.Equal(0, totals.Parameters);
        Assert.True(totals.Constants > 3_000_000, $"{totals.Constants} constant values");
    }

    [Fact]
    public void BuiltResNetSummaryHasTorchvisionsNumbersAndShapes()
    {
        var summary = ModelSummary.Create(ResNet.ResNet18());
        Assert.Equal(11_689_512, summary.Totals.Parameters);
        Assert.Equal(9_600, summary.Totals.Buffers);
        Assert.Equal("[N, 3, 224, 224]", summary.InputShape);
        var conv = summary.Layers.Single(l => l.Name == "layer2.0.conv1");
        Assert.Equal(("Conv", "[N, 128, 28, 28]", 128L * 64 * 3 * 3), (conv.OpType, conv.OutputShape, conv.Parameters));
        var bn = summary.Layers.Single(l => l.Name == "layer2.0.bn1");
        Assert.Equal((256L, 256L), (bn.Parameters, bn.Buffers));
        Assert.Equal("[N, 1000]", summary.Layers[^1].OutputShape);
        Assert.Equal("fc", summary.Layers[^1].Name);
    }

    [Fact]
    public void TextAndMarkdownShowEveryLayerAndTheTotals()
    {
        var summary = ModelSummary.Create(LeNet.Build(), name: "lenet");
        string text = summary.ToString(), markdown = summary.ToMarkdown();
        Assert.Contains("Trainable parameters: 231,170 in 10 tensors", text);
        Assert.Contains("Trainable parameters: 231,170 in 10 tensors", markdown);
        Assert.Contains("| ---: | --- | --- | --- | ---: | --- |", markdown);
        Assert.Contains("| `conv1` | Conv | [N, 32, 28, 28] | 2,432 | weight 32×3×5×5, bias 32 |", markdown);
        var lines = text.Split('\n');
        var conv3 = lines.Single(l => l.StartsWith("conv3 ", StringComparison.Ordinal));
        Assert.Contains("[N, 64, 1, 1]", conv3);
        // Parameter counts are right-aligned in one column.
        int column = lines[1].IndexOf("Parameters", StringComparison.Ordinal) + "Parameters".Length;
        Assert.Equal(column, conv3.IndexOf("102,464", StringComparison.Ordinal) + "102,464".Length);
    }

    [Fact]
    public void BatchDimensionIsShownAsNOnlyWhereItFollowsTheBatch()
    {
        // Reshape to [-1, 12] folds the batch into the first dimension; its shape tensor [2] does not depend on the batch.
        var graph = new GraphProto { Name = "reshape" };
        graph.Input.Add(FloatValueInfo("x", "N", 3, 2, 2));
        graph.Initializer.Add(Int64("target", [2], -1, 12));
        graph.Initializer.Add(Float("scale", [1], [2f]));
        graph.Node.Add(Node("Reshape", "reshape", ["x", "target"], ["flat"]));
        graph.Node.Add(Node("Mul", "scale_it", ["flat", "scale"], ["y"]));
        graph.Output.Add(FloatValueInfoUnknownShape("y"));
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });

        var summary = ModelSummary.Create(model);
        Assert.Equal("[N, 12]", summary.Layers[0].OutputShape);
        Assert.Equal((1L, 2L), (summary.Totals.Parameters, summary.Totals.Constants));   // scale is a parameter, target a constant
        Assert.Equal("[N, 3, 2, 2]", summary.InputShape);
        Assert.Equal("[N, 12]", ModelSummary.Create(model, [3, 2, 2]).Layers[0].OutputShape);
    }

    [Fact]
    public void DynamicImageSizeNeedsAnInputShape()
    {
        var graph = new GraphProto { Name = "dynamic" };
        graph.Input.Add(FloatValueInfo("image", "N", 3, "H", "W"));
        graph.Node.Add(Node("Relu", "relu", ["image"], ["y"]));
        graph.Output.Add(FloatValueInfoUnknownShape("y"));
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });

        var error = Assert.Throws<OnnxFormatException>(() => ModelSummary.Create(model));
        Assert.Equal("input 'image' has a dynamic dimension 2 ('H'); give the input shape (e.g. 1,3,224,224)", error.Message);
        Assert.Equal("[N, 3, 5, 7]", ModelSummary.Create(model, [1, 3, 5, 7]).Layers[0].OutputShape);
        Assert.Throws<OnnxFormatException>(() => ModelSummary.Create(model, [3, 5]));
    }
}
