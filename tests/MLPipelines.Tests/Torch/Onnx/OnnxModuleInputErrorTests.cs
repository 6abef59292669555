using MLPipelines.Architectures;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.Onnx;
using TorchSharp;

namespace MLPipelines.Tests.Torch.Onnx;

/// <summary>Bad input to the module and to export gets one clear line instead of a native crash or a broken file.</summary>
public class OnnxModuleInputErrorTests
{
    private static OnnxModule LeNet() => OnnxModule.FromModel(ArchitectureRegistry.Build("lenet"));

    [Fact]
    public void An_input_of_the_wrong_shape_is_rejected_naming_the_input_and_both_shapes()
    {
        TorchSharpRuntime.EnsureInitialized();
        using var module = LeNet();
        Assert.Equal([-1L, 3, 28, 28], module.InputShape);
        using var wrong = torch.zeros(2, 3, 32, 32);

        var error = Assert.Throws<ArgumentException>(() => module.forward(wrong));
        Assert.Equal("input 'input' expects shape [?,3,28,28], got [2,3,32,32]", error.Message);
    }

    [Fact]
    public void Forward_to_an_unknown_tensor_names_it()
    {
        TorchSharpRuntime.EnsureInitialized();
        using var module = LeNet();
        using var x = torch.zeros(1, 3, 28, 28);
        Assert.Equal("the graph has no tensor named 'conv99'", Assert.Throws<ArgumentException>(() => module.Forward(x, "conv99")).Message);
    }

    [Fact]
    public void Export_options_are_validated_before_anything_is_written()
    {
        using var module = LeNet();
        using var folder = new TemporaryFolder("export-options");
        string path = folder.File("model.onnx");

        Assert.Contains("opset 11", Assert.Throws<ArgumentException>(() => module.Save(path, new OnnxExportOptions { Opset = 11 })).Message);
        Assert.Contains("Mean and Std", Assert.Throws<ArgumentException>(() => module.Save(path, new OnnxExportOptions { Mean = [0.5f, 0.5f, 0.5f] })).Message);
        Assert.False(File.Exists(path));
        var clash = Assert.Throws<OnnxFormatException>(() => module.ToModel(new OnnxExportOptions { LogitsName = "features" }));
        Assert.Contains("already has a tensor with that name", clash.Message);
    }

    [Fact]
    public void An_exported_model_carries_the_requested_names_opset_and_shapes()
    {
        using var module = LeNet();
        var model = module.ToModel(new OnnxExportOptions { InputName = "pixels", LogitsName = "scores", ProbabilitiesName = "probabilities", Opset = 17 });

        Assert.Equal("pixels", Assert.Single(OnnxGraphEditor.DataInputs(model)).Name);
        Assert.Equal(["scores", "probabilities"], model.Graph.Output.Select(o => o.Name));
        Assert.All(model.Graph.Output, o => Assert.Equal("N", o.Type.TensorType.Shape.Dim[0].DimParam));
        Assert.All(model.Graph.Output, o => Assert.Equal(10, o.Type.TensorType.Shape.Dim[1].DimValue));
        Assert.Equal(17, OnnxModelFile.DefaultOpset(model));
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "Dropout");
    }
}
