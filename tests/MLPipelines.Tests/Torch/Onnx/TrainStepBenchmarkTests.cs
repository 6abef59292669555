using MLPipelines.Architectures;
using MLPipelines.Torch.Onnx;
using MLPipelines.Torch.Onnx.Benchmarks;

namespace MLPipelines.Tests.Torch.Onnx;

/// <summary>The training-step benchmark's time limit: a long memory run stops early and still reports its last step.</summary>
public class TrainStepBenchmarkTests
{
    [Fact]
    public void A_time_limit_stops_the_steps_and_records_the_memory_of_the_last_step_reached()
    {
        using var module = OnnxModule.FromModel(ArchitectureRegistry.Build("lenet", new LeNetOptions { InputSize = 28, InputChannels = 1, Classes = 10 }));

        var result = TrainStepBenchmark.Run([module], [1, 28, 28], classes: 10, batch: 2, steps: 1000, rssAtSteps: [500, 1000],
            timeLimit: TimeSpan.Zero).Single();

        Assert.Equal(1, result.Steps);
        Assert.Equal(1000, result.RequestedSteps);
        Assert.Equal([1], result.ResidentBytes.Keys);
        Assert.True(result.ResidentBytes[1] > 0);
        var run = new BenchmarkRun(DateTimeOffset.UtcNow, "test", 2, 1, null, null, 1, [new NetworkBenchmark("lenet", [1, 28, 28], "logits", result, null, null, [])]);
        Assert.Contains("| 1 of 1000 |", BenchmarkReport.ToMarkdown(run));
    }

    [Fact]
    public void Without_a_time_limit_every_step_runs()
    {
        using var module = OnnxModule.FromModel(ArchitectureRegistry.Build("lenet", new LeNetOptions { InputSize = 28, InputChannels = 1, Classes = 10 }));

        var result = TrainStepBenchmark.Run([module], [1, 28, 28], classes: 10, batch: 2, steps: 4, rssAtSteps: [2, 4]).Single();

        Assert.Equal(4, result.Steps);
        Assert.Equal(4, result.RequestedSteps);
        Assert.Equal([2, 4], result.ResidentBytes.Keys.Order());
    }
}
