using System.Diagnostics;
using MLPipelines.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Onnx.Benchmarks;

/// <summary>Step timings and resident memory of a training run.</summary>
/// <param name="Steps">Training steps run (forward, cross-entropy, backward, SGD step).</param>
/// <param name="RequestedSteps">Steps asked for; more than <paramref name="Steps"/> when the time limit stopped the run.</param>
/// <param name="Batch">Images per step.</param>
/// <param name="MedianStepSeconds">Median wall time of a step, after the warm-up steps.</param>
/// <param name="ImagesPerSecond">Batch / median step time.</param>
/// <param name="ResidentBytes">Process RSS after the steps named in the request (step → bytes), after a full .NET GC and,
/// when the run trims, after glibc's malloc_trim.</param>
/// <param name="PeakResidentBytes">The process's peak RSS over the whole run (all networks; from its start where the peak
/// cannot be reset).</param>
/// <param name="FirstLoss">Loss of the first step.</param>
/// <param name="LastLoss">Loss of the last step.</param>
/// <param name="TrimEverySteps">Steps between the periodic returns of glibc's free heap (as the trainer does them); 0 for none.</param>
/// <param name="TrimmedBeforeSampling">Whether each RSS sample followed a malloc_trim (memory in use) or not (what the process holds).</param>
public sealed record TrainStepMeasurement(int Steps, int RequestedSteps, int Batch, double MedianStepSeconds, double ImagesPerSecond,
    IReadOnlyDictionary<int, long> ResidentBytes, long PeakResidentBytes, double FirstLoss, double LastLoss, int TrimEverySteps = 0,
    bool TrimmedBeforeSampling = false);

/// <summary>
/// Trains networks for a number of SGD steps on one fixed, seeded random batch (the point is the executor's cost and
/// memory, not accuracy) and measures step time and resident memory, so native memory growth across steps shows up.
/// Several networks are stepped in turn (A, B, A, B, ...), so that load from other processes on a shared machine hits
/// them alike.
/// </summary>
public static class TrainStepBenchmark
{
    /// <summary>Warm-up steps excluded from the median.</summary>
    public const int WarmupSteps = 2;

    /// <param name="modules">The networks (an <see cref="OnnxModule"/>, a hand-written reference, ...), stepped in turn.</param>
    /// <param name="imageShape">One input without the batch, e.g. [3, 224, 224].</param>
    /// <param name="classes">Classes of the modules' output (labels are drawn from them).</param>
    /// <param name="batch">Images per step.</param>
    /// <param name="steps">Steps to run per network.</param>
    /// <param name="rssAtSteps">Steps after which the resident memory is recorded (meaningful with one network).</param>
    /// <param name="seed">Seed of the batch and labels.</param>
    /// <param name="trimBeforeSampling">Return glibc's free heap memory to the system (malloc_trim) before each RSS sample, so
    /// the sample shows memory in use rather than memory the allocator keeps cached.</param>
    /// <param name="trimEverySteps">Return glibc's cached free heap to the system every this many steps, as the trainer does
    /// (<see cref="NativeHeapTrimmer"/>; 0 never). A step's RSS sample is taken before that step's periodic trim, so it shows the
    /// most the allocator holds within a period.</param>
    /// <param name="progress">Called after each step with the network index, step number and loss.</param>
    /// <param name="timeLimit">Stop after the first step (of every network) that ends past this wall time, so that a long
    /// memory run on a shared machine still reports the furthest step it reached; null runs all steps.</param>
    public static IReadOnlyList<TrainStepMeasurement> Run(IReadOnlyList<nn.Module<Tensor, Tensor>> modules, IReadOnlyList<long> imageShape,
        int classes, int batch, int steps, IReadOnlyCollection<int> rssAtSteps, int seed = 42, bool trimBeforeSampling = false,
        int trimEverySteps = 0, Action<int, int, double>? progress = null, TimeSpan? timeLimit = null)
    {
        var clock = Stopwatch.StartNew();
        int stepsRun = 0;
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "run at least one step");
        if (imageShape.Any(d => d < 0))
            throw new ArgumentException($"the input shape [{string.Join(",", imageShape)}] is not fixed; cannot make a batch");
        TorchSharpRuntime.EnsureInitialized();
        torch.manual_seed(seed);
        ProcessMemory.ResetPeakAfterCollecting();
        using var generator = new torch.Generator((ulong)seed);
        using var images = torch.randn([batch, .. imageShape], generator: generator);
        using var labels = torch.randint(0, classes, [batch], generator: generator);
        var optimizers = modules.Select(m =>
        {
            m.train();
            return torch.optim.SGD(m.parameters().Where(p => p.requires_grad), 0.01, momentum: 0.9);
        }).ToList();
        var times = modules.Select(_ => new List<double>()).ToList();
        var losses = modules.Select(_ => new List<double>()).ToList();
        var rss = modules.Select(_ => new Dictionary<int, long>()).ToList();
        var trimmer = new NativeHeapTrimmer(trimEverySteps);
        try
        {
            for (int step = 1; step <= steps && (timeLimit is null || step == 1 || clock.Elapsed < timeLimit); step++)
            {
                stepsRun = step;
                for (int m = 0; m < modules.Count; m++)
                {
                    var watch = Stopwatch.StartNew();
                    using (var scope = torch.NewDisposeScope())
                    {
                        optimizers[m].zero_grad();
                        var loss = torch.nn.functional.cross_entropy(modules[m].forward(images), labels);
                        loss.backward();
                        optimizers[m].step();
                        losses[m].Add(loss.item<float>());
                    }
                    watch.Stop();
                    times[m].Add(watch.Elapsed.TotalSeconds);
                    if (rssAtSteps.Contains(step))
                        rss[m][step] = SampleResident(trimBeforeSampling);
                    progress?.Invoke(m, step, losses[m][^1]);
                }
                // A run the time limit ends early also samples its last step, the furthest point of the memory curve.
                bool stopsEarly = timeLimit is not null && step < steps && clock.Elapsed >= timeLimit;
                if (stopsEarly && rssAtSteps.Count > 0 && !rssAtSteps.Contains(step))
                    foreach (var samples in rss)
                        samples[step] = SampleResident(trimBeforeSampling);
                trimmer.StepCompleted();
            }
        }
        finally
        {
            foreach (var optimizer in optimizers) optimizer.Dispose();
        }
        long peak = ProcessMemory.PeakResidentBytes();
        return modules.Select((_, m) =>
        {
            // Warm-up steps are left out unless they are all there is (a run of a few steps, or one the time limit cut short).
            var sorted = (times[m].Count > WarmupSteps ? times[m].Skip(WarmupSteps) : times[m]).Order().ToList();
            double median = sorted[sorted.Count / 2];
            return new TrainStepMeasurement(stepsRun, steps, batch, median, batch / median, rss[m], peak, losses[m][0], losses[m][^1],
                trimEverySteps, trimBeforeSampling);
        }).ToList();
    }

    /// <summary>Resident memory after a full .NET GC (and glibc's malloc_trim when <paramref name="trim"/>).</summary>
    private static long SampleResident(bool trim)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (trim) ProcessMemory.TrimNativeHeap();
        return ProcessMemory.ResidentBytes();
    }
}
