using System.Diagnostics;

namespace MLPipelines.Imaging.Augmentation;

/// <summary>Single-thread throughput of an augmentation on decoded images, to check it cannot starve a CPU training loop.</summary>
public static class AugmentationBenchmark
{
    /// <summary>A measurement: images per wall-clock second, and per second of this thread's own CPU time.</summary>
    /// <param name="Images">Images augmented.</param>
    /// <param name="PerSecond">Images per wall-clock second (lower when other processes share the cores).</param>
    /// <param name="PerCpuSecond">Images per second the thread actually ran (Linux; null elsewhere): the figure to compare machines by.</param>
    public sealed record Result(int Images, double PerSecond, double? PerCpuSecond);

    /// <summary>
    /// Augments the images in turn on the calling thread (after one warm-up pass) until at least <paramref name="minimum"/>
    /// has passed. Each image has its own seeded generator, as in training.
    /// </summary>
    public static Result Measure(IImageAugmentation augmentation, IReadOnlyList<ImageTensor> images, TimeSpan minimum, int seed = 0)
    {
        if (images.Count == 0) throw new ArgumentException("the benchmark needs at least one image");
        for (int i = 0; i < images.Count; i++)
            augmentation.Apply(images[i], AugmentationPipeline.SeededFor(seed, "warm-up", i));
        var cpuStart = ThreadCpuTime();
        var clock = Stopwatch.StartNew();
        int done = 0;
        while (clock.Elapsed < minimum)
        {
            augmentation.Apply(images[done % images.Count], AugmentationPipeline.SeededFor(seed, "benchmark", done));
            done++;
        }
        double wall = clock.Elapsed.TotalSeconds;
        var cpuEnd = ThreadCpuTime();
        double? cpu = cpuStart is { } s && cpuEnd is { } e && e > s ? (e - s).TotalSeconds : null;
        return new Result(done, done / wall, cpu is { } seconds ? done / seconds : null);
    }

    // The calling thread's on-CPU time from /proc/thread-self/schedstat (nanoseconds, first field); null off Linux.
    private static TimeSpan? ThreadCpuTime()
    {
        try
        {
            string text = File.ReadAllText("/proc/thread-self/schedstat");
            return long.TryParse(text.Split(' ')[0], out long nanoseconds) ? TimeSpan.FromTicks(nanoseconds / 100) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
