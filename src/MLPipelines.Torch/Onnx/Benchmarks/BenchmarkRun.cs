namespace MLPipelines.Torch.Onnx.Benchmarks;

/// <summary>One <c>models bench</c> invocation: where and how it ran, and what it measured.</summary>
/// <param name="Started">When the run started.</param>
/// <param name="Command">The command line, so the run can be repeated.</param>
/// <param name="ProcessorCount">Logical processors the process sees.</param>
/// <param name="TorchThreads">TorchSharp's intra-op threads.</param>
/// <param name="LoadAverageAtStart">The 1-minute load average when the run started (other jobs on the machine), or null off Linux.</param>
/// <param name="LoadAverageAtEnd">The 1-minute load average when it ended, or null.</param>
/// <param name="WallSeconds">The run's wall time.</param>
/// <param name="Networks">The measured networks, in the order given.</param>
public sealed record BenchmarkRun(DateTimeOffset Started, string Command, int ProcessorCount, int TorchThreads, double? LoadAverageAtStart,
    double? LoadAverageAtEnd, double WallSeconds, IReadOnlyList<NetworkBenchmark> Networks);
