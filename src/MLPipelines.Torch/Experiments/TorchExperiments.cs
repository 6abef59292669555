using MLPipelines.Pipelines;
using MLPipelines.Torch.Experiments.Cifar10ConvNet;
using MLPipelines.Torch.Experiments.Circles;
using MLPipelines.Torch.Experiments.DigitsTransfer;
using MLPipelines.Torch.Experiments.ImbalancedNoisy;

namespace MLPipelines.Torch.Experiments;

/// <summary>
/// Registers the experiment kinds that need TorchSharp (<c>circles</c>, <c>digits-transfer</c>, <c>imbalanced-noisy</c>) with <see cref="PipelineKinds"/>.
/// Call once at startup, before pipelines are listed or parsed (the CLI does it first thing).
/// </summary>
public static class TorchExperiments
{
    /// <summary>Registers the kinds; calling it again is harmless.</summary>
    public static void Register()
    {
        PipelineKinds.Register(CirclesDefinition.Kind, CirclesDefinition.Parse);
        PipelineKinds.Register(DigitsTransferDefinition.Kind, DigitsTransferDefinition.Parse);
        PipelineKinds.Register(Cifar10ConvNetDefinition.Kind, Cifar10ConvNetDefinition.Parse);
        PipelineKinds.Register(ImbalancedNoisyDefinition.Kind, ImbalancedNoisyDefinition.Parse);
    }
}
