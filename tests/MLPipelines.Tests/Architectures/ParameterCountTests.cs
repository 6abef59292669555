using MLPipelines.Architectures;
using MLPipelines.Onnx;

namespace MLPipelines.Tests.Architectures;

/// <summary>Built architectures have exactly the reference parameter counts (torchvision's, the course's).</summary>
public class ParameterCountTests
{
    [Fact]
    public void ResNet18HasTorchvisionsParameterCountAndBatchNormStatistics()
    {
        var totals = ModelSummary.CountParameters(ResNet.ResNet18());
        Assert.Equal(11_689_512, totals.Parameters);
        // 20 BN layers with 4,800 channels in all (64 + 4·64 + 5·128 + 5·256 + 5·512), mean and variance each.
        Assert.Equal(9_600, totals.Buffers);
        Assert.Equal(40, totals.BufferTensors);
        Assert.Equal(0, totals.Constants);
    }

    [Fact]
    public void ResNet34HasTorchvisionsParameterCount() =>
        Assert.Equal(21_797_672, ModelSummary.CountParameters(ResNet.ResNet34()).Parameters);

    [Fact]
    public void MobileNetV2HasTorchvisionsParameterCount() =>
        Assert.Equal(3_504_872, ModelSummary.CountParameters(MobileNetV2.Build()).Parameters);

    [Fact]
    public void MobileNetV2WidthScalesChannelsAndKeepsTheLastLayerAtLeast1280()
    {
        var half = MobileNetV2.Build(new MobileNetV2Options { Width = 0.5, Classes = 10, InputSize = 96 });
        Assert.Equal([16L, 3, 3, 3], BuiltModels.Dims(half, "features.0.0.weight"));          // make_divisible(32·0.5)
        Assert.Equal([1280L, 160, 1, 1], BuiltModels.Dims(half, "features.18.0.weight"));     // 1280·max(1, 0.5); 320·0.5 in
        var wide = MobileNetV2.Build(new MobileNetV2Options { Width = 1.4, Classes = 10, InputSize = 96 });
        Assert.Equal([48L, 3, 3, 3], BuiltModels.Dims(wide, "features.0.0.weight"));          // 32·1.4 = 44.8 → 48
        Assert.Equal([1792L, 448, 1, 1], BuiltModels.Dims(wide, "features.18.0.weight"));     // 1280·1.4
    }

    [Theory]
    [InlineData(false, 7_678_474)]
    [InlineData(true, 7_682_826)]
    public void CourseConvNetHasTheReferenceReportsParameterCounts(bool batchNorm, long expected)
    {
        var totals = ModelSummary.CountParameters(ConvNet.Build(new ConvNetOptions { BatchNorm = batchNorm }));
        Assert.Equal(expected, totals.Parameters);
        Assert.Equal(batchNorm ? 4_352 : 0, totals.Buffers);
    }

    [Theory]
    [InlineData(28, 3, 231_170)]
    [InlineData(32, 3, 231_170)]
    [InlineData(28, 1, 229_570)]
    public void LeNetHasTheSameParametersFor28And32PixelInputs(int size, int channels, long expected) =>
        Assert.Equal(expected, ModelSummary.CountParameters(LeNet.Build(new LeNetOptions { InputSize = size, InputChannels = channels })).Parameters);

    [Fact]
    public void MlpCountsEveryGemmWeightAndBias()
    {
        Assert.Equal(2352 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, ModelSummary.CountParameters(Mlp.Build()).Parameters);
        var linear = Mlp.Build(new MlpOptions { HiddenSizes = [], InputSize = 8, InputChannels = 1, Classes = 4 });
        Assert.Equal(64 * 4 + 4, ModelSummary.CountParameters(linear).Parameters);
    }

    [Fact]
    public void ClassCountOnlyChangesTheClassifier()
    {
        long thousand = ModelSummary.CountParameters(ResNet.ResNet18()).Parameters;
        long seven = ModelSummary.CountParameters(ResNet.ResNet18(new ResNetOptions { Classes = 7 })).Parameters;
        Assert.Equal(993 * (512 + 1), thousand - seven);
    }
}
