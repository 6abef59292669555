using MLPipelines.Pipelines;

namespace MLPipelines.Torch.Pipelines;

/// <summary>Registers the TorchSharp pipeline methods (<c>kind: fine-tune</c> and <c>kind: ensemble</c>); call before loading pipeline YAML.</summary>
public static class TorchPipelines
{
    /// <summary>Adds the TorchSharp method kinds to <see cref="PipelineMethodRegistry"/> (idempotent).</summary>
    public static void Register()
    {
        PipelineMethodRegistry.Register<FineTuneMethod>("fine-tune");
        PipelineMethodRegistry.Register<EnsembleMethod>("ensemble");
    }
}
