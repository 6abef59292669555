namespace MLPipelines.Torch.Onnx.Conformance;

/// <summary>One ONNX backend node test (<c>test_&lt;name&gt;</c>) and what happened to it.</summary>
/// <param name="Name">The test folder name, e.g. <c>test_conv_with_strides_padding</c>.</param>
/// <param name="Outcome">Passed, not applicable or failed.</param>
/// <param name="Detail">Why not applicable, what failed, or the largest error of a pass.</param>
public sealed record ConformanceCase(string Name, ConformanceOutcome Outcome, string Detail);
