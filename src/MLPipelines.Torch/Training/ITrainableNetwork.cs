using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Training;

/// <summary>
/// What the training loop needs from a classifier network: the module (images [N, 3, H, W] → logits [N, K]), which parameters
/// form the head and which the backbone, and freezing of the backbone. Implemented over the ONNX bridge's module and over any
/// hand-written TorchSharp module (<see cref="ModuleNetwork"/>).
/// </summary>
public interface ITrainableNetwork : IDisposable
{
    /// <summary>The network: normalized images in, class logits out.</summary>
    nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>Parameters of the classification head (new, trained in every mode).</summary>
    IReadOnlyList<Parameter> HeadParameters();

    /// <summary>Parameters of the feature extractor.</summary>
    IReadOnlyList<Parameter> BackboneParameters();

    /// <summary>Stops gradients to the backbone; in training mode its batch normalization then uses the running statistics.</summary>
    void FreezeBackbone();

    /// <summary>Lets the backbone train again.</summary>
    void UnfreezeBackbone();

    /// <summary>Switches to training (true) or evaluation (false) mode, keeping a frozen backbone's batch normalization in eval.</summary>
    void SetTraining(bool training);
}
