namespace MLPipelines.Pipelines;

/// <summary>
/// A runnable pipeline definition (one YAML file). The YAML key <c>experiment</c> picks the kind: <c>image-classification</c>
/// (the default: <see cref="PipelineDefinition"/>, methods compared on an image dataset) or any kind registered with
/// <see cref="PipelineKinds.Register"/> (e.g. the CIFAR-10 ConvNet study, the circles baselines).
/// </summary>
public interface IPipeline
{
    /// <summary>Pipeline name; also the output subfolder.</summary>
    string Name { get; }

    /// <summary>One line for <c>list</c> and the CLI help.</summary>
    string Description { get; }

    /// <summary>Runs the pipeline and writes its report into <c>&lt;output&gt;/&lt;name&gt;/&lt;run&gt;/</c>.</summary>
    PipelineRun Run(RunOptions options, IProgress<ProgressUpdate>? progress, Action<string> log, string commandLine);
}

/// <summary>A finished run: where its files are, how long it took, and a summary table for the console.</summary>
/// <param name="RunFolder">The run's output folder.</param>
/// <param name="ReportPath">report.md.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="SummaryHeaders">Column headers of <paramref name="SummaryRows"/>.</param>
/// <param name="SummaryRows">The main results, one row per method or setting.</param>
public sealed record PipelineRun(string RunFolder, string ReportPath, TimeSpan Elapsed, IReadOnlyList<string> SummaryHeaders,
    IReadOnlyList<IReadOnlyList<string>> SummaryRows);
