using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.Onnx;
using MLPipelines.Torch.Onnx.Parity;
using TorchSharp;

namespace MLPipelines.Tests.Torch.Onnx;

/// <summary>The TorchSharp executor in eval mode computes what ONNX Runtime computes, on real images.</summary>
public class OnnxRuntimeParityTests
{
    [Theory]
    [InlineData("mobilenetv2-1.0-bn-features")]
    [InlineData("squeezenet1.1-7")]
    public void Catalog_model_matches_onnx_runtime_on_real_photos(string name)
    {
        var images = OnnxBridgeData.SampleImages().Concat(OnnxBridgeData.PacsCartoon(["dog", "house"], 1).Files).ToList();

        var report = OnnxRuntimeParity.Measure(OnnxModelFile.Load(RepositoryPaths.Model(name)), name, images);

        Assert.Equal(images.Count, report.Images);
        Assert.All(report.Outputs, o => Assert.True(o.Relative <= OnnxRuntimeParity.Tolerance, $"{o.Name}: {o.Relative:E2} relative"));
        // Real activations, not a degenerate all-zero comparison.
        Assert.All(report.Outputs, o => Assert.True(o.MaxAbsValue > 1, $"{o.Name}: max |value| {o.MaxAbsValue}"));
    }

    [Fact]
    public void The_int8_model_is_rejected_naming_its_first_quantized_node()
    {
        var error = Assert.Throws<OnnxNotSupportedException>(() => OnnxModule.Load(RepositoryPaths.Model("mobilenetv2-12-int8")));
        Assert.StartsWith("node 'input_QuantizeLinear' (QuantizeLinear): op not supported by the TorchSharp executor; supported: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_gemm_shape_mismatch_throws_in_managed_code_instead_of_crashing()
    {
        TorchSharpRuntime.EnsureInitialized();
        // The graph says 5 input features but the weight expects 4: TorchSharp would abort the process on this product.
        using var module = OnnxModule.FromModel(OnnxBridgeData.GemmGraph(inFeatures: 5, weightShape: [3, 4]));
        using var x = torch.ones(2, 5);

        var error = Assert.Throws<InvalidOperationException>(() => module.forward(x));
        Assert.Equal("node 'classifier' (Gemm): A [2,5] and Bᵀ [4,3] do not multiply (5 ≠ 4)", error.Message);
    }
}
