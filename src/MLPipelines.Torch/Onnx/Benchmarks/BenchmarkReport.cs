using System.Globalization;
using System.Text;
using System.Text.Json;
using MLPipelines.Diagnostics;
using MLPipelines.Reports;

namespace MLPipelines.Torch.Onnx.Benchmarks;

/// <summary>
/// Writes a <see cref="BenchmarkRun"/> as Markdown (tables that read well on GitHub) and as JSON beside it (the same
/// figures for scripts), both atomically. docs and the README cite these files instead of copying numbers by hand.
/// </summary>
public static class BenchmarkReport
{
    private const double MiB = 1024 * 1024;

    /// <summary>Writes <paramref name="markdownPath"/> and the JSON file of the same name with extension .json; returns the JSON path.</summary>
    public static string Save(BenchmarkRun run, string markdownPath)
    {
        string jsonPath = Path.ChangeExtension(markdownPath, ".json");
        if (Path.GetFullPath(jsonPath) == Path.GetFullPath(markdownPath))
            throw new ArgumentException($"results file '{markdownPath}' must not end in .json: the JSON is written beside it");
        string? folder = Path.GetDirectoryName(Path.GetFullPath(markdownPath));
        if (folder is not null) Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(markdownPath, ToMarkdown(run));
        AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(run, new JsonSerializerOptions
        {
            WriteIndented = true,
            // A diverged quick run has a NaN loss; it is written as "NaN" rather than failing the whole file.
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        }));
        return jsonPath;
    }

    /// <summary>The run as Markdown: machine and load, training table, inference table, RSS by step.</summary>
    public static string ToMarkdown(BenchmarkRun run)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# models bench, {run.Started:yyyy-MM-dd HH:mm} UTC\n\n");
        text.Append(CultureInfo.InvariantCulture, $"`{run.Command}`\n\n");
        text.Append(CultureInfo.InvariantCulture, $"{run.ProcessorCount} logical cores, TorchSharp {run.TorchThreads} threads, ONNX Runtime {run.TorchThreads} intra-op threads, {MallocTuning.Describe()}; ");
        text.Append(CultureInfo.InvariantCulture, $"load average {Load(run.LoadAverageAtStart)} at the start and {Load(run.LoadAverageAtEnd)} at the end; {run.WallSeconds:0} s in all. ");
        text.Append("Inputs are a seeded random batch; the peak RSS of each benchmark is the process's VmHWM, reset before it starts. ");
        text.Append("A hand-written network starts from the executor's weights, so equal first-step losses show that both compute the same network.\n\n");

        var training = run.Networks.Where(n => n.Training is not null).ToList();
        if (training.Count > 0)
        {
            text.Append("## Training step (forward, cross-entropy, backward, SGD with momentum)\n\n");
            var table = new MarkdownTable("network", "input", "batch", "steps", "executor ms/step", "executor images/s",
                "hand-written TorchSharp", "hand-written images/s", "executor / hand-written time", "first-step loss executor / hand-written",
                "peak RSS MiB").AlignRight(2, 3, 4, 5, 7, 8, 9, 10);
            foreach (var n in training)
            {
                var t = n.Training!;
                var h = n.HandWritten;
                table.Add(n.Model, Shape(n.ImageShape), t.Batch, Steps(t), F(t.MedianStepSeconds * 1000, "0"), F(t.ImagesPerSecond, "0.0"),
                    n.HandWrittenName ?? "-", h is null ? "-" : F(h.ImagesPerSecond, "0.0"),
                    h is null ? "-" : F(t.MedianStepSeconds / h.MedianStepSeconds, "0.00"),
                    h is null ? "-" : $"{F(t.FirstLoss, "0.0000")} / {F(h.FirstLoss, "0.0000")}", F(t.PeakResidentBytes / MiB, "0"));
            }
            text.Append(table).Append('\n');
        }

        var eval = run.Networks.Where(n => n.Eval.Count > 0).ToList();
        if (eval.Count > 0)
        {
            text.Append("## Inference (eval mode; TorchSharp under no_grad)\n\n");
            var table = new MarkdownTable("network", "output", "runtime", "batch", "batches", "ms/batch", "images/s", "RSS at start MiB", "peak RSS MiB")
                .AlignRight(3, 4, 5, 6, 7, 8);
            foreach (var n in eval)
                foreach (var e in n.Eval)
                    table.Add(n.Model, n.EvalOutput, e.Runtime, e.Batch, e.Batches, F(e.MedianBatchSeconds * 1000, "0"), F(e.ImagesPerSecond, "0.0"),
                        F(e.StartResidentBytes / MiB, "0"), F(e.PeakResidentBytes / MiB, "0"));
            text.Append(table).Append('\n');
        }

        foreach (var n in training.Where(n => n.Training!.ResidentBytes.Count > 1))
        {
            var samples = n.Training!.ResidentBytes.OrderBy(p => p.Key).ToList();
            text.Append(CultureInfo.InvariantCulture, $"## Resident memory by training step, {n.Model}\n\n");
            if (n.Training.Steps < n.Training.RequestedSteps)
                text.Append(CultureInfo.InvariantCulture, $"The time limit stopped the run after step {n.Training.Steps} of {n.Training.RequestedSteps}; its last row is that step.\n\n");
            text.Append(SamplingNote(n.Training)).Append("\n\n");
            var table = new MarkdownTable("after step", "RSS MiB", $"vs step {samples[0].Key}").AlignRight(0, 1, 2);
            foreach (var (step, bytes) in samples)
                table.Add(step, F(bytes / MiB, "0.0"), F(100.0 * (bytes - samples[0].Value) / samples[0].Value, "+0.0;-0.0;0.0") + "%");
            text.Append(table).Append('\n');
        }
        return text.ToString();
    }

    // How the samples relate to the allocator: memory in use (trimmed first) or what the process holds, and the trim period.
    private static string SamplingNote(TrainStepMeasurement t) =>
        (t.TrimmedBeforeSampling
            ? "Each sample follows a full .NET GC and malloc_trim: memory in use."
            : "Each sample follows a full .NET GC only: what the process holds, glibc's cached free heap included.")
        + (t.TrimEverySteps > 0
            ? FormattableString.Invariant($" The run returned glibc's free heap every {t.TrimEverySteps} steps as the trainer does; a step's sample is taken before that step's trim.")
            : " The run never trimmed periodically.");

    private static string Shape(IReadOnlyList<long> shape) => string.Join("×", shape);

    /// <summary>"16", or "237 of 500" when the time limit stopped the run.</summary>
    private static string Steps(TrainStepMeasurement t) =>
        t.Steps < t.RequestedSteps ? $"{t.Steps} of {t.RequestedSteps}" : t.Steps.ToString(CultureInfo.InvariantCulture);

    private static string Load(double? load) => load is null ? "unknown" : F(load.Value, "0.00");

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
