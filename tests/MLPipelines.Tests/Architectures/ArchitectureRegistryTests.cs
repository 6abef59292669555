using MLPipelines.Architectures;
using MLPipelines.Onnx;

namespace MLPipelines.Tests.Architectures;

/// <summary>Building architectures by name from text options, with one-line errors.</summary>
public class ArchitectureRegistryTests
{
    private static KeyValuePair<string, string>[] Settings(params string[] settings) => [.. ArchitectureOptionBinder.ParseSettings(settings)];

    [Fact]
    public void KnowsTheBuiltInArchitectures() =>
        Assert.Equal(["resnet18", "resnet34", "mobilenetv2", "convnet", "lenet", "mlp"], ArchitectureRegistry.Names);

    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => ArchitectureRegistry.Get("resnet50"));
        Assert.Equal("unknown architecture 'resnet50'; known architectures: resnet18, resnet34, mobilenetv2, convnet, lenet, mlp", error.Message);
        Assert.Same(ArchitectureRegistry.Get("mobilenetv2"), ArchitectureRegistry.Get("MobileNetV2"));
    }

    [Fact]
    public void TextSettingsBindToTypedOptions()
    {
        var convnet = (ConvNetOptions)ArchitectureRegistry.Get("convnet").Options(
            Settings("hidden-sizes=16,32", "BatchNorm=yes", "dropout=0.25", "dense_sizes=[64]", "classes=7", "seed=-3", "input-size=8"));
        Assert.Equal([16, 32], convnet.HiddenSizes);
        Assert.True(convnet.BatchNorm);
        Assert.Equal(0.25, convnet.Dropout);
        Assert.Equal([64], convnet.DenseSizes);
        Assert.Equal((7, -3L, 8), (convnet.Classes, convnet.Seed, convnet.InputSize));

        var mlp = (MlpOptions)ArchitectureRegistry.Get("mlp").Options(Settings("activation=TANH", "hidden-sizes="));
        Assert.Equal(MlpActivation.Tanh, mlp.Activation);
        Assert.Empty(mlp.HiddenSizes);
        var lenet = (LeNetOptions)ArchitectureRegistry.Get("lenet").Options(Settings("first-conv-padding=auto", "input-size=32"));
        Assert.Null(lenet.FirstConvPadding);
        Assert.Equal(0, lenet.EffectiveFirstConvPadding);
    }

    [Fact]
    public void DescribeRoundTripsThroughTheBinder()
    {
        var options = new MobileNetV2Options { Width = 0.75, Classes = 12, Seed = 5, Dropout = 0.1 };
        string described = options.Describe();
        Assert.Equal("classes=12 input-size=224 input-channels=3 seed=5 width=0.75 dropout=0.1", described);
        var parsed = ArchitectureRegistry.Get("mobilenetv2").Options(Settings(described.Split(' ')));
        Assert.Equal(options, parsed);
        var model = ArchitectureRegistry.Build("mobilenetv2", options with { InputSize = 64 });
        Assert.Contains(model.MetadataProps, p => p.Key == ClassifierTensors.ArchitectureMetadataKey && p.Value == "mobilenetv2");
        Assert.Contains(model.MetadataProps, p => p.Key == ClassifierTensors.OptionsMetadataKey && p.Value.Contains("width=0.75"));
    }

    [Theory]
    [InlineData("resnet18", "depth=50", "resnet18: unknown option 'depth'; known options: classes, input-size, input-channels, seed, zero-init-residual")]
    [InlineData("resnet18", "classes=ten", "resnet18: option 'classes' needs an integer, got 'ten'")]
    [InlineData("resnet18", "classes=0", "resnet18: option 'classes' must be at least 1, got 0")]
    [InlineData("mobilenetv2", "width=-1", "mobilenetv2: option 'width' must be a positive number, got -1")]
    [InlineData("convnet", "batch-norm=maybe", "convnet: option 'batch-norm' needs true or false, got 'maybe'")]
    [InlineData("convnet", "input-size=16", "convnet: option 'input-size' 16 is too small for 5 blocks that each halve the side (needs at least 32)")]
    [InlineData("mlp", "activation=gelu", "mlp: option 'activation' needs relu or tanh, got 'gelu'")]
    [InlineData("mlp", "hidden-sizes=64,0", "mlp: option 'hidden-sizes' must all be at least 1, got [64,0]")]
    public void BadOptionsGiveOneLineErrorsNamingTheOption(string architecture, string setting, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => ArchitectureRegistry.Build(architecture, Settings(setting)));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void MalformedSettingIsRejected() =>
        Assert.Equal("option setting 'classes' must look like name=value (e.g. classes=10)",
            Assert.Throws<ArgumentException>(() => ArchitectureOptionBinder.ParseSettings(["classes"])).Message);

    [Fact]
    public void TooSmallAnInputNamesTheLayer()
    {
        var error = Assert.Throws<ArgumentException>(() => ArchitectureRegistry.Build("lenet", Settings("input-size=16")));
        Assert.StartsWith("conv3: a 2-pixel side is too small for a 5×5 window", error.Message);
    }

    [Fact]
    public void TypedOptionsOfTheWrongArchitectureAreRejected() =>
        Assert.Equal("resnet18: takes ResNetOptions, got MlpOptions",
            Assert.Throws<ArgumentException>(() => ArchitectureRegistry.Build("resnet18", new MlpOptions())).Message);

    [Fact]
    public void EveryArchitectureBuildsWithItsDefaults()
    {
        foreach (var definition in ArchitectureRegistry.All)
        {
            var model = definition.Build();
            Assert.True(ModelSummary.CountParameters(model).Parameters > 0, definition.Name);
            Assert.Equal(definition.Name, model.Graph.Name);
        }
    }
}
