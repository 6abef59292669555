using System.CommandLine;
using MLPipelines.Cli;
using MLPipelines.Cli.Commands;
using MLPipelines.Pipelines;
using MLPipelines.Torch.Pipelines;

// A thin command line over the MLPipelines libraries: every verb parses options, calls the library and prints the result.

// Training is up to 1.5× faster when glibc keeps large tensors in its heap; glibc reads that setting only at start-up, so the
// command runs itself again with it (MallocTuning explains; MLPIPELINES_MALLOC_TUNING=off keeps glibc's defaults).
if (MLPipelines.Diagnostics.MallocTuning.RelaunchIfUntuned() is int relaunchedExitCode)
    return relaunchedExitCode;

// Experiment kinds that need TorchSharp (circles, digits-transfer) must be known before the built-in pipelines are listed.
MLPipelines.Torch.Experiments.TorchExperiments.Register();

// Piped output (CI logs, grep) gets full-width tables instead of tables folded at 80 columns.
if (Console.IsOutputRedirected)
    Spectre.Console.AnsiConsole.Profile.Width = 240;

// The TorchSharp method kinds (fine-tune) must be known before any pipeline YAML is parsed.
TorchPipelines.Register();

var root = new RootCommand("MLPipelines: train, compare and ship image classifiers in .NET (ML.NET, ONNX Runtime, TorchSharp).");
root.Options.Add(CommonOptions.Verbose);
foreach (var name in PipelineKinds.BuiltInNames())
    root.Subcommands.Add(PipelineCommands.BuiltIn(name));
root.Subcommands.Add(PipelineCommands.RunFile());
root.Subcommands.Add(PipelineCommands.Train());
root.Subcommands.Add(ListCommand.Create());
root.Subcommands.Add(ClassifyCommand.Create());
root.Subcommands.Add(VisualizeCommand.Create());
root.Subcommands.Add(SummaryCommand.Create());
root.Subcommands.Add(FineTuneCommands.LearningRateFinder());
root.Subcommands.Add(AdversarialCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
return root.Parse(args).Invoke();
