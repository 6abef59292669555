using System.Runtime.CompilerServices;
using MLPipelines.Torch.Pipelines;

namespace MLPipelines.Tests.Torch.Training;

/// <summary>Registers the TorchSharp method kinds (fine-tune) before any test loads pipeline YAML, as the CLI does at start-up.</summary>
internal static class TorchPipelinesRegistration
{
    [ModuleInitializer]
    internal static void Register() => TorchPipelines.Register();
}
