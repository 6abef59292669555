using MLPipelines.Torch.Onnx.Execution;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Torch.Onnx.Ops;

/// <summary>
/// ONNX BatchNormalization. In eval mode it normalizes with the running statistics (the ONNX inference semantics). In train
/// mode it normalizes with the batch statistics and updates the running statistics in place, as ONNX's training mode does:
/// running = momentum·running + (1 − momentum)·batch, i.e. TorchSharp momentum 1 − ONNX momentum. (TorchSharp stores the
/// unbiased batch variance in the running variance, like PyTorch.) With
/// <see cref="OnnxModuleOptions.FrozenBatchNormUsesRunningStatistics"/>, a layer whose scale and bias are frozen stays in
/// eval mode during training; with <see cref="OnnxModuleOptions.BatchNormAlwaysUsesRunningStatistics"/> every layer does.
/// </summary>
internal static class BatchNormalizationOp
{
    public static OnnxKernel Create(NodeCompilation node)
    {
        node.AllowAttributes("epsilon", "momentum", "spatial", "is_test", "consumed_inputs", "training_mode");
        node.AllowOutputs(1);
        if (node.Int("spatial", 1) != 1)
            throw node.NotSupported("spatial=0 (per-activation statistics) is not supported");
        if (node.Int("training_mode", 0) != 0)
            throw node.NotSupported("training_mode=1 is not supported: the module's train()/eval() state decides the mode");
        double epsilon = node.Float("epsilon", 1e-5f);
        double torchMomentum = 1.0 - node.Float("momentum", 0.9f);
        bool frozenUsesRunning = node.Options.FrozenBatchNormUsesRunningStatistics;
        bool alwaysRunning = node.Options.BatchNormAlwaysUsesRunningStatistics;
        return (inputs, training) =>
        {
            Tensor x = inputs[0]!, scale = inputs[1]!, bias = inputs[2]!, mean = inputs[3]!, variance = inputs[4]!;
            if (x.dim() < 2)
                throw node.ShapeError($"input [{string.Join(",", x.shape)}] needs rank ≥ 2 (N, C, ...)");
            long channels = x.shape[1];
            foreach (var (name, t) in new[] { ("scale", scale), ("B", bias), ("mean", mean), ("var", variance) })
                if (t.dim() != 1 || t.shape[0] != channels)
                    throw node.ShapeError($"{name} has shape [{string.Join(",", t.shape)}], expected [{channels}] for input [{string.Join(",", x.shape)}]");
            bool useBatch = training && !alwaysRunning && !(frozenUsesRunning && !scale.requires_grad && !bias.requires_grad);
            return [F.batch_norm(x, mean, variance, scale, bias, useBatch, torchMomentum, epsilon)];
        };
    }
}
