using MLPipelines.Torch.Onnx.Conformance;

namespace MLPipelines.Tests.Torch.Onnx;

/// <summary>The official ONNX backend node tests (Debian libonnx-testdata) for every supported op.</summary>
public class OnnxConformanceTests
{
    [Fact]
    public void Every_applicable_node_test_of_the_supported_ops_passes()
    {
        // No skip when the package is missing: CaseFolders throws a DirectoryNotFoundException saying how to install it.
        var report = OnnxConformanceRunner.Run();

        Assert.True(report.Failed.Count == 0, "failed: " + string.Join("; ", report.Failed.Select(c => $"{c.Name}: {c.Detail}")));
        // libonnx-testdata 1.12 has 156 applicable cases for the supported ops; far fewer means the selection broke.
        Assert.True(report.Passed.Count >= 150, $"only {report.Passed.Count} cases passed");
        Assert.Contains(report.Passed, c => c.Name == "test_conv_with_strides_and_asymmetric_padding");
        Assert.Contains(report.Passed, c => c.Name == "test_averagepool_2d_pads");
        Assert.Contains(report.Passed, c => c.Name == "test_maxpool_2d_ceil");
        Assert.Contains(report.Passed, c => c.Name == "test_unsqueeze_unsorted_axes");
        Assert.All(report.NotApplicable, c => Assert.False(string.IsNullOrWhiteSpace(c.Detail)));
    }

    [Fact]
    public void A_missing_test_folder_is_an_error_that_says_how_to_install_it()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => OnnxConformanceRunner.Run("/nonexistent/onnx/node"));
        Assert.Contains("libonnx-testdata", error.Message);
    }
}
