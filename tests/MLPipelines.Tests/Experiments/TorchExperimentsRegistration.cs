using System.Runtime.CompilerServices;
using MLPipelines.Torch.Experiments;

namespace MLPipelines.Tests.Experiments;

/// <summary>Registers the TorchSharp experiment kinds when the test assembly loads, as the CLI does at startup.</summary>
internal static class TorchExperimentsRegistration
{
    [ModuleInitializer]
    internal static void Register() => TorchExperiments.Register();
}
