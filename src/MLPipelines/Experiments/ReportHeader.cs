using System.Text;
using MLPipelines.Diagnostics;
using MLPipelines.Reports;

namespace MLPipelines.Experiments;

/// <summary>The opening lines every experiment report shares: title, description, run facts, the command that made it.</summary>
public static class ReportHeader
{
    /// <summary>Appends the header to <paramref name="md"/>.</summary>
    public static void Append(StringBuilder md, string title, string description, string runFolder, int seed, bool quick, TimeSpan elapsed,
        string commandLine)
    {
        md.Append($"# {title}\n\n");
        if (description.Length > 0) md.Append(description).Append("\n\n");
        md.Append($"Run {Path.GetFileName(runFolder)} · seed {seed}" +
                  (quick ? " · **quick mode (small budget): not comparable with full runs**" : "") +
                  $" · {Environment.ProcessorCount} cores · .NET {Environment.Version} · total time {ReportFormat.Duration(elapsed)} · {MallocTuning.Describe()}\n\n");
        md.Append($"Command: `{commandLine}`\n\n");
    }
}
