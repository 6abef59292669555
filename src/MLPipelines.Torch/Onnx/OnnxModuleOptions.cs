namespace MLPipelines.Torch.Onnx;

/// <summary>How an <see cref="OnnxModule"/> executes its graph.</summary>
public sealed class OnnxModuleOptions
{
    /// <summary>
    /// When true, a BatchNormalization layer whose scale and bias are both frozen (requires_grad false) keeps normalizing
    /// with its running statistics, and leaves them unchanged, while the module is in train mode, as fine-tuning recipes
    /// for frozen backbones do. Default false: every BatchNormalization layer follows train()/eval().
    /// </summary>
    public bool FrozenBatchNormUsesRunningStatistics { get; set; }

    /// <summary>
    /// When true, every BatchNormalization layer normalizes with its running statistics, and leaves them unchanged, also in
    /// train mode; its scale and bias still train (PyTorch's "freeze BN" for fine-tuning with small batches, whose statistics are
    /// noisy estimates). Default false.
    /// </summary>
    public bool BatchNormAlwaysUsesRunningStatistics { get; set; }
}
