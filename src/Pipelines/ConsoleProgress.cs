using Spectre.Console;

namespace MLPipelines.Cli;

/// <summary>
/// Draws library progress reports as Spectre.Console progress bars with elapsed and remaining time, one bar per task name.
/// Log lines are printed above the bars.
/// </summary>
internal sealed class ConsoleProgress : IProgress<ProgressUpdate>
{
    private readonly ProgressContext _context;
    private readonly Dictionary<string, ProgressTask> _tasks = [];

    private ConsoleProgress(ProgressContext context) => _context = context;

    /// <summary>Runs <paramref name="work"/> with live progress bars.</summary>
    public static T Run<T>(Func<ConsoleProgress, T> work) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context => work(new ConsoleProgress(context)));

    public void Report(ProgressUpdate update)
    {
        lock (_tasks)
        {
            if (!_tasks.TryGetValue(update.Task, out var task))
            {
                task = _context.AddTask(Markup.Escape(update.Task), maxValue: Math.Max(1, update.Total));
                _tasks[update.Task] = task;
            }
            task.MaxValue = Math.Max(1, update.Total);
            task.Value = update.Done;
            task.Description = Markup.Escape(update.Detail is null ? update.Task : $"{update.Task} · {update.Detail}");
            if (update.Done >= update.Total)
                task.StopTask();
        }
    }

    /// <summary>Prints a log line above the bars.</summary>
    public static void Log(string line) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]");
}
