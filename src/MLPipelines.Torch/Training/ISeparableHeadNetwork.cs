using static TorchSharp.torch;

namespace MLPipelines.Torch.Training;

/// <summary>
/// A network whose backbone and head can run separately. While the backbone is frozen and computes the same in training
/// and eval mode, its output for an image never changes, so a head-only run can compute it once per image and train the
/// head on the stored outputs (<see cref="BackboneOutputCache"/>): the same steps, without a backbone pass per step.
/// </summary>
public interface ISeparableHeadNetwork : ITrainableNetwork
{
    /// <summary>
    /// Whether the head can be trained on stored backbone outputs: there is a separate head, and the frozen backbone has no
    /// operation that behaves differently in training mode (dropout).
    /// </summary>
    bool CanTrainHeadOnStoredFeatures { get; }

    /// <summary>The backbone's output for normalized images [N, 3, H, W], in eval mode.</summary>
    Tensor BackboneOutput(Tensor images);

    /// <summary>The head alone: backbone outputs in, class logits out (in the module's current training mode).</summary>
    Tensor HeadOutput(Tensor backboneOutput);
}
