using System.CommandLine;
using MLPipelines.Data;
using MLPipelines.Pipelines;
using MLPipelines.Pipelines.Methods;
using Spectre.Console;

namespace MLPipelines.Cli.Commands;

/// <summary>The verbs that run experiments: one per built-in pipeline, <c>run &lt;file.yaml&gt;</c> and <c>train --data</c>.</summary>
internal static class PipelineCommands
{
    /// <summary>A verb that runs the built-in pipeline <paramref name="name"/>.</summary>
    public static Command BuiltIn(string name)
    {
        var pipeline = PipelineKinds.BuiltIn(name);
        var command = new Command(name, pipeline.Description);
        CommonOptions.AddRunOptions(command);
        command.SetAction(parse => Execute(parse, () => PipelineKinds.BuiltIn(name)));
        return command;
    }

    /// <summary><c>run &lt;pipeline.yaml&gt;</c>: runs a pipeline file.</summary>
    public static Command RunFile()
    {
        var file = new Argument<string>("pipeline") { Description = "A pipeline YAML file (copy one from pipelines/ and edit it)" };
        var command = new Command("run", "Run a pipeline definition file") { file };
        CommonOptions.AddRunOptions(command);
        command.SetAction(parse => Execute(parse, () => PipelineKinds.Load(parse.GetValue(file)!)));
        return command;
    }

    /// <summary><c>train --data &lt;folder&gt;</c>: frozen-feature transfer on any image folder, no YAML needed.</summary>
    public static Command Train()
    {
        var data = new Option<string>("--data") { Description = "Image folder with one subfolder per class", Required = true };
        var trainFraction = new Option<double>("--train-fraction") { Description = "Fraction of each class that trains (the rest tests)", DefaultValueFactory = _ => 0.8 };
        var command = new Command("train", "Train and compare classifiers on your own image folder (frozen pretrained features + ML.NET trainers)")
        {
            data, trainFraction,
        };
        CommonOptions.AddRunOptions(command);
        command.SetAction(parse => Execute(parse, () =>
        {
            string folder = parse.GetValue(data)!;
            var definition = new PipelineDefinition
            {
                Name = "train-" + FrozenFeaturesMethod.Slug(Path.GetFileName(Path.GetFullPath(folder).TrimEnd('/'))),
                Description = $"Frozen-feature transfer learning on {folder}.",
                Dataset = new DatasetSelection { Folder = folder },
                Split = new SplitDefinition { TrainFraction = parse.GetValue(trainFraction) },
                Methods = [new FrozenFeaturesMethod()],
                Origin = "train --data",
            };
            definition.Validate();
            return definition;
        }));
        return command;
    }

    private static int Execute(ParseResult parse, Func<IPipeline> load)
    {
        bool verbose = parse.GetValue(CommonOptions.Verbose);
        return ErrorHandling.Run(verbose, () =>
        {
            var pipeline = load();
            var options = CommonOptions.Run(parse);
            string commandLine = "dotnet run --project src/Pipelines -- " + string.Join(' ', parse.Tokens.Select(t => t.Value));
            // Log lines carry the time since the start, so a run's log shows where its time went.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var run = ConsoleProgress.Run(progress => pipeline.Run(options, progress, line => ConsoleProgress.Log($"[{clock.Elapsed.TotalSeconds,6:0.0} s] {line}"), commandLine));
            var table = new Table().AddColumns(run.SummaryHeaders.Select(Markup.Escape).ToArray());
            foreach (var row in run.SummaryRows)
                table.AddRow(row.Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"Report: [link]{Markup.Escape(run.ReportPath)}[/] ({run.Elapsed.TotalSeconds:0} s)");
            return 0;
        });
    }
}
