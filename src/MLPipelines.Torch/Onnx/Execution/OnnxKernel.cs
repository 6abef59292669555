using static TorchSharp.torch;

namespace MLPipelines.Torch.Onnx.Execution;

/// <summary>
/// One compiled ONNX node: takes its input tensors (null where an optional input is absent) and returns its outputs.
/// Everything that depends only on attributes or constant inputs was resolved when the kernel was built, so a call does no
/// string lookups. <paramref name="training"/> is the module's train()/eval() state.
/// </summary>
internal delegate Tensor[] OnnxKernel(Tensor?[] inputs, bool training);
