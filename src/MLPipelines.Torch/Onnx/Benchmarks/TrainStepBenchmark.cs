using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Onnx.Benchmarks;

/// <summary>Step timings and resident memory of a training run through <see cref="OnnxModule"/>.</summary>
/// <param name="Steps">Training steps run (forward, cross-entropy, backward, SGD step).</param>
/// <param name="Batch">Images per step.</param>
/// <param name="MedianStepSeconds">Median wall time of a step, after the warm-up steps.</param>
/// <param name="ImagesPerSecond">Batch / median step time.</param>
/// <param name="ResidentBytes">Process RSS after the steps named in the request (step → bytes).</param>
/// <param name="FirstLoss">Loss of the first step.</param>
/// <param name="LastLoss">Loss of the last step.</param>
public sealed record TrainStepMeasurement(int Steps, int Batch, double MedianStepSeconds, double ImagesPerSecond,
    IReadOnlyDictionary<int, long> ResidentBytes, double FirstLoss, double LastLoss);

/// <summary>
/// Trains a module for a number of SGD steps on one fixed, seeded random batch (the point is the executor's cost and memory,
/// not accuracy) and measures step time and resident memory, so native memory growth across steps shows up.
/// </summary>
public static class TrainStepBenchmark
{
    /// <summary>Warm-up steps excluded from the median.</summary>
    public const int WarmupSteps = 3;

    public static TrainStepMeasurement Run(OnnxModule module, int classes, int batch, int steps, IReadOnlyCollection<int> rssAtSteps,
        int seed = 42, Action<int, double>? progress = null)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "run at least one step");
        TorchSharpRuntime.EnsureInitialized();
        torch.manual_seed(seed);
        long[] shape = [batch, .. module.InputShape.Skip(1)];
        if (shape.Skip(1).Any(d => d < 0))
            throw new ArgumentException($"the module's input shape [{string.Join(",", module.InputShape)}] is not fixed; cannot make a batch");
        using var generator = new torch.Generator((ulong)seed);
        using var images = torch.randn(shape, generator: generator);
        using var labels = torch.randint(0, classes, [batch], generator: generator);
        module.train();
        using var optimizer = torch.optim.SGD(module.parameters().Where(p => p.requires_grad), 0.01, momentum: 0.9);
        var times = new List<double>();
        var rss = new Dictionary<int, long>();
        double first = double.NaN, last = double.NaN;
        for (int step = 1; step <= steps; step++)
        {
            var watch = Stopwatch.StartNew();
            using (var scope = torch.NewDisposeScope())
            {
                optimizer.zero_grad();
                var logits = module.forward(images);
                var loss = torch.nn.functional.cross_entropy(logits, labels);
                loss.backward();
                optimizer.step();
                last = loss.item<float>();
                if (step == 1) first = last;
            }
            watch.Stop();
            if (step > WarmupSteps || steps <= WarmupSteps) times.Add(watch.Elapsed.TotalSeconds);
            if (rssAtSteps.Contains(step))
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                rss[step] = ResidentBytes();
            }
            progress?.Invoke(step, last);
        }
        times.Sort();
        double median = times[times.Count / 2];
        return new TrainStepMeasurement(steps, batch, median, batch / median, rss, first, last);
    }

    /// <summary>The process's resident set size (VmRSS on Linux, working set elsewhere).</summary>
    public static long ResidentBytes()
    {
        if (OperatingSystem.IsLinux())
            foreach (string line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
