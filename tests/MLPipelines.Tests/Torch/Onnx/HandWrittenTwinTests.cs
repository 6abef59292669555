using MLPipelines.Architectures;
using MLPipelines.Torch;
using MLPipelines.Torch.Onnx;
using MLPipelines.Torch.Onnx.Benchmarks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Tests.Torch.Onnx;

/// <summary>
/// The hand-written TorchSharp networks that <c>models bench</c> times the executor against are the same networks as the
/// ONNX graphs: with the executor's weights copied in, they give the same outputs in eval and in train mode (batch
/// statistics). Equal parameter shapes would not show this: a stride in another block keeps every shape and changes the work.
/// </summary>
public class HandWrittenTwinTests
{
    [Fact]
    public void MobileNetV2_twin_with_the_gluon_weights_computes_what_the_executor_computes()
    {
        TorchSharpRuntime.EnsureInitialized();
        using var loaded = OnnxModule.Load(RepositoryPaths.Model("mobilenetv2-1.0-bn-features"));
        using var twin = new HandWrittenMobileNetV2(7);
        AssertTwinComputesWhatTheExecutorComputes(loaded, twin, 224);
    }

    [Fact]
    public void ResNet18_twin_with_the_builtin_weights_computes_what_the_executor_computes()
    {
        TorchSharpRuntime.EnsureInitialized();
        using var built = OnnxModule.FromModel(ArchitectureRegistry.Build("resnet18", new ResNetOptions { InputSize = 64, Classes = 10, Seed = 5 }));
        using var twin = new HandWrittenResNet18(7);
        AssertTwinComputesWhatTheExecutorComputes(built, twin, 64);
    }

    // The model cut at 'features' with a new 7-class head, as `models bench` trains it, against the twin with its weights.
    private static void AssertTwinComputesWhatTheExecutorComputes(OnnxModule model, nn.Module<Tensor, Tensor> twin, int size)
    {
        using var backbone = model.CutAt("features");
        using var executor = backbone.WithClassificationHead(7, seed: 3);
        var files = OnnxBridgeData.SampleImages().Take(2).ToList();
        using var images = OnnxBridgeData.Batch(OnnxBridgeData.Normalized(files, size), files.Count, size);

        TwinWeights.Copy(executor, twin);

        AssertSameOutputs(executor, twin, images);
    }

    [Fact]
    public void Copying_into_a_network_of_another_architecture_names_the_first_tensor_that_does_not_fit()
    {
        TorchSharpRuntime.EnsureInitialized();
        using var built = OnnxModule.FromModel(ArchitectureRegistry.Build("resnet18", new ResNetOptions { InputSize = 64, Classes = 7 }));
        using var twin = new HandWrittenMobileNetV2(7);

        var error = Assert.Throws<InvalidOperationException>(() => TwinWeights.Copy(built, twin));

        Assert.Contains("not the same architecture", error.Message);
    }

    private static void AssertSameOutputs(OnnxModule executor, nn.Module<Tensor, Tensor> twin, Tensor images)
    {
        using var noGrad = torch.no_grad();
        foreach (bool training in new[] { false, true })
        {
            executor.train(training);
            twin.train(training);
            using var expected = executor.forward(images);
            using var actual = twin.forward(images);
            double relative = OnnxBridgeData.Relative(actual.data<float>().ToArray(), expected.data<float>().ToArray());
            Assert.True(relative < 1e-5, $"{(training ? "train" : "eval")} mode: the twin differs from the executor by {relative:E2} (relative)");
        }
    }
}
