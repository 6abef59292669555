using System.Security.Cryptography;
using Google.Protobuf;
using MLPipelines.Architectures;
using MLPipelines.Onnx.Proto;

namespace MLPipelines.Tests.Architectures;

/// <summary>Seeded initialization: reproducible to the byte, different per seed, and with the documented statistics.</summary>
public class InitializationTests
{
    [Fact]
    public void SameSeedGivesByteIdenticalModels()
    {
        var options = new ResNetOptions { Classes = 10, Seed = 123 };
        Assert.Equal(ResNet.ResNet18(options).ToByteArray(), ResNet.ResNet18(options).ToByteArray());
        Assert.Equal(MobileNetV2.Build(new() { Seed = 9 }).ToByteArray(), MobileNetV2.Build(new() { Seed = 9 }).ToByteArray());
    }

    [Fact]
    public void DifferentSeedsGiveDifferentRandomTensorsAndTheSameConstantOnes()
    {
        var a = ConvNet.Build(new ConvNetOptions { BatchNorm = true, Seed = 1 });
        var b = ConvNet.Build(new ConvNetOptions { BatchNorm = true, Seed = 2 });
        foreach (var tensor in a.Graph.Initializer)
        {
            var other = b.Graph.Initializer.Single(t => t.Name == tensor.Name);
            bool constantInit = tensor.Name.Contains(".bn.") || tensor.Name == "fc.bias";
            if (constantInit) Assert.Equal(tensor.RawData, other.RawData);
            else Assert.NotEqual(tensor.RawData, other.RawData);
        }
    }

    [Fact]
    public void ATensorsValuesDependOnlyOnSeedNameAndShape()
    {
        // Adding conv blocks changes the graph around block1.conv but not block1.conv's own weights.
        var small = ConvNet.Build(new ConvNetOptions { HiddenSizes = [16, 32], InputSize = 8 });
        var large = ConvNet.Build(new ConvNetOptions { HiddenSizes = [16, 32, 64], InputSize = 8, BatchNorm = true });
        Assert.Equal(BuiltModels.Initializer(small, "block1.conv.weight"), BuiltModels.Initializer(large, "block1.conv.weight"));
    }

    [Fact]
    public void SplitMix64MatchesTheReferenceOutputs()
    {
        // splitmix64.c (Vigna) from state 0.
        var random = new SeededRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, random.NextUInt64());
        Assert.Equal(0x69A29A2CEE47D254UL, SeededRandom.Fnv1a64("conv1.weight"));
    }

    [Fact]
    public void WeightsMatchAnIndependentImplementationOfTheDocumentedAlgorithm()
    {
        // Expected values from a separate Python implementation of SeededRandom's documented algorithm (math.log/cos/sin,
        // float32 rounding), for seed 42: conv1.weight ~ N(0, 2/fan_out) and fc.weight ~ U(±1/√512).
        var model = ResNet.ResNet18(new ResNetOptions { Seed = 42 });
        float[] conv = BuiltModels.Initializer(model, "conv1.weight");
        Assert.Equal([0.0485868938267231f, 0.0031594864558428526f, 0.008181710727512836f, -0.0035026127006858587f, 0.043487388640642166f, 0.001534032984636724f],
            conv.Take(6));
        Assert.Equal([0.037241674959659576f, 0.03915136307477951f, -0.01178167574107647f, -0.012283852323889732f],
            BuiltModels.Initializer(model, "fc.weight").Take(4));
    }

    [Fact]
    public void InitialWeightsOfSeed42ArePinned()
    {
        // The reproducibility contract: these weights must never change silently. If a deliberate change to the initialization
        // scheme moves this digest, say so in the release notes: old seeds then give different models.
        var model = LeNet.Build(new LeNetOptions { Seed = 42 });
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var tensor in model.Graph.Initializer)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(tensor.Name));
            hash.AppendData(tensor.RawData.Span);
        }
        Assert.Equal("67487d8c4a0cef9c7b8e78dca9d0d0a4e4552255297779541e02be874291b6ec", Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    [Fact]
    public void DeterministicMathAgreesWithTheSystemLibrary()
    {
        var random = new SeededRandom(3);
        for (int i = 0; i < 100_000; i++)
        {
            double u = random.NextDouble();
            double x = 1.0 - u;
            Assert.True(Math.Abs(DeterministicMath.Log(x) - Math.Log(x)) <= 4e-16 * Math.Max(1, Math.Abs(Math.Log(x))), $"log({x:R})");
            var (sin, cos) = DeterministicMath.SinCosTurns(u);
            Assert.True(Math.Abs(sin - Math.Sin(2 * Math.PI * u)) < 2e-15, $"sin(2π·{u:R})");
            Assert.True(Math.Abs(cos - Math.Cos(2 * Math.PI * u)) < 2e-15, $"cos(2π·{u:R})");
        }
        Assert.Equal(-37.42994775023705, DeterministicMath.Log(Math.Pow(2, -54)), 12);
    }

    [Fact]
    public void NormalSamplesHaveUnitVarianceAndGaussianTails()
    {
        var random = new SeededRandom(11);
        var samples = Enumerable.Range(0, 400_000).Select(_ => random.NextNormal()).ToArray();
        double mean = samples.Average();
        double variance = samples.Sum(v => (v - mean) * (v - mean)) / samples.Length;
        double kurtosis = samples.Sum(v => Math.Pow(v - mean, 4)) / samples.Length / (variance * variance);
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.99, 1.01);
        Assert.InRange(kurtosis, 2.95, 3.05);
        Assert.InRange(samples.Count(v => Math.Abs(v) > 1.96) / (double)samples.Length, 0.047, 0.053);
    }

    [Fact]
    public void ResNetInitializationFollowsTorchvision()
    {
        var model = ResNet.ResNet18();
        // Kaiming normal, fan_out = 256·3·3: std √(2/2304) ≈ 0.0295.
        var (mean, std) = BuiltModels.MeanStd(BuiltModels.Initializer(model, "layer3.0.conv1.weight"));
        Assert.InRange(mean, -0.001, 0.001);
        Assert.InRange(std / Math.Sqrt(2.0 / 2304), 0.98, 1.02);
        // fc: PyTorch's default Linear init, uniform within ±1/√512.
        float[] fc = BuiltModels.Initializer(model, "fc.weight");
        double bound = 1 / Math.Sqrt(512);
        Assert.All(fc, w => Assert.InRange(w, -bound, bound));
        Assert.InRange(BuiltModels.MeanStd(fc).Std / (bound / Math.Sqrt(3)), 0.98, 1.02);
        Assert.All(BuiltModels.Initializer(model, "fc.bias"), b => Assert.InRange(b, -bound, bound));
        Assert.All(BuiltModels.Initializer(model, "layer1.0.bn1.weight"), w => Assert.Equal(1f, w));
        Assert.All(BuiltModels.Initializer(model, "layer1.0.bn1.bias"), w => Assert.Equal(0f, w));
        Assert.All(BuiltModels.Initializer(model, "layer1.0.bn1.running_var"), w => Assert.Equal(1f, w));
        Assert.All(BuiltModels.Initializer(ResNet.ResNet18(new() { ZeroInitResidual = true }), "layer1.0.bn2.weight"), w => Assert.Equal(0f, w));
    }

    [Fact]
    public void MobileNetV2AndConvNetHeadsFollowTheirReferences()
    {
        var mobile = MobileNetV2.Build(new MobileNetV2Options { InputSize = 64 });
        Assert.InRange(BuiltModels.MeanStd(BuiltModels.Initializer(mobile, "classifier.1.weight")).Std, 0.0098, 0.0102);
        Assert.All(BuiltModels.Initializer(mobile, "classifier.1.bias"), b => Assert.Equal(0f, b));
        // Depthwise 3×3 over 96 channels: torch's fan_out is 96·3·3 (the weight is [96, 1, 3, 3]).
        var (_, depthwiseStd) = BuiltModels.MeanStd(BuiltModels.Initializer(mobile, "features.3.conv.1.0.weight"));
        Assert.Equal([144L, 1, 3, 3], BuiltModels.Dims(mobile, "features.3.conv.1.0.weight"));
        Assert.InRange(depthwiseStd / Math.Sqrt(2.0 / (144 * 9)), 0.9, 1.1);

        var convNet = ConvNet.Build();
        Assert.InRange(BuiltModels.MeanStd(BuiltModels.Initializer(convNet, "fc.weight")).Std, 0.0009, 0.0011);
        // Convolutions keep PyTorch's default: uniform within ±1/√fan_in, fan_in = 128·3·3.
        double bound = 1 / Math.Sqrt(128 * 9);
        Assert.All(BuiltModels.Initializer(convNet, "block2.conv.weight"), w => Assert.InRange(w, -bound, bound));
    }
}
