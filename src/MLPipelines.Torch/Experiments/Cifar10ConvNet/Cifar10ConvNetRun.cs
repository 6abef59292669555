using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MLPipelines.Architectures;
using MLPipelines.Catalog;
using MLPipelines.Data.Cifar10;
using MLPipelines.Experiments;
using MLPipelines.Onnx;
using MLPipelines.Pipelines;
using MLPipelines.Reports;
using MLPipelines.Torch.Training;

namespace MLPipelines.Torch.Experiments.Cifar10ConvNet;

/// <summary>One execution of a <see cref="Cifar10ConvNetDefinition"/>: every run of the study, then report.md, the plots and metrics.json.</summary>
internal sealed class Cifar10ConvNetRun(Cifar10ConvNetDefinition definition, RunOptions options, IProgress<ProgressUpdate>? progress, Action<string> log)
{
    private readonly int _seed = options.Seed ?? definition.Seed;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public PipelineRun Execute(string commandLine)
    {
        bool quick = options.Quick;
        var budget = StudyBudget.From(definition, quick);
        var assets = new AssetLocator(options.Assets);
        TrainerNetworks.Assets = options.Assets;
        TorchSharpRuntime.EnsureInitialized();
        string runFolder = ExperimentRunner.CreateRunFolder(options, definition.Name);
        string plots = Path.Combine(runFolder, "plots");
        log($"cifar10-convnet: {budget.Describe()}, seed {_seed}, {definition.Threads} TorchSharp threads");

        var readClock = Stopwatch.StartNew();
        var data = Cifar10Subsets.Read(Cifar10Archive.Locate(assets), budget.TrainPerClass, budget.ValidationPerClass, budget.TestPerClass, progress);
        var readTime = readClock.Elapsed;
        int classCount = data.Classes.Count;
        var native = data.At(Cifar10Set.Side);

        var results = new StudyResults();
        int total = 5 + budget.DropoutValues.Count + 3 * definition.Transfer.ImageSizes.Count, done = 0;
        StudyRunResult Run(string section, string name, ImageClassificationTrainer.Options trainerOptions, int size, bool scoreLast = false,
            string? filters = null)
        {
            progress?.Report(new ProgressUpdate("cifar10-convnet", done++, total, name));
            var result = StudyTrainer.Train(name, trainerOptions, data.At(size), classCount, scoreLast, filters);
            log($"{name}: best epoch {result.BestEpoch}/{result.History.Count}, validation {ReportFormat.Percent(result.Best.ValidationAccuracy)}, " +
                $"test {ReportFormat.Percent(result.Test.Accuracy)}, {ReportFormat.Duration(result.Duration)}");
            results.Add(section, result);
            return result;
        }

        Run(StudyResults.BatchNorm, "no BN", ConvNet(budget, batchNorm: false), Cifar10Set.Side, scoreLast: true);
        Run(StudyResults.BatchNorm, "BN", ConvNet(budget, batchNorm: true), Cifar10Set.Side, scoreLast: true, filters: plots);
        var augmented = ConvNet(budget, batchNorm: true);
        augmented.AugmentationSpec = definition.Training.Augmentation;
        Run(StudyResults.Augmentation, "BN + augmentation", augmented, Cifar10Set.Side);
        var constant = ConvNet(budget, batchNorm: true);
        constant.Schedule = LearningRateScheduleKind.Constant;
        Run(StudyResults.Schedule, "BN, constant LR", constant, Cifar10Set.Side);
        var adam = ConvNet(budget, batchNorm: true);
        (adam.Optimizer, adam.LearningRate) = (OptimizerKind.AdamW, definition.Training.AdamLearningRate);
        Run(StudyResults.Optimizer, "BN, AdamW", adam, Cifar10Set.Side);
        foreach (double p in budget.DropoutValues)
        {
            var dropout = ConvNet(budget, batchNorm: true, dropout: p);
            dropout.Epochs = budget.DropoutEpochs;
            Run(StudyResults.Dropout, $"BN, dropout {p.ToString(CultureInfo.InvariantCulture)}", dropout, Cifar10Set.Side);
        }
        foreach (int size in definition.Transfer.ImageSizes)
        {
            var transfer = definition.Transfer;
            Run(StudyResults.Transfer, $"MobileNetV2 head only, {size} px",
                Transferred(budget, TrainingMode.HeadOnly, transfer.HeadOnlyLearningRate, size), size);
            Run(StudyResults.Transfer, $"MobileNetV2 full fine-tune, {size} px",
                Transferred(budget, TrainingMode.Full, transfer.FullLearningRate, size), size);
            Run(StudyResults.Transfer, $"MobileNetV2 from scratch, {size} px",
                Transferred(budget, TrainingMode.Scratch, transfer.ScratchLearningRate, size), size);
        }

        var parameters = (
            NoBatchNorm: ModelSummary.CountParameters(ArchitectureRegistry.Build("convnet", [new("batch-norm", "false")])).Parameters,
            BatchNorm: ModelSummary.CountParameters(ArchitectureRegistry.Build("convnet", [new("batch-norm", "true")])).Parameters);
        var report = new Cifar10ConvNetReport(definition, budget, results, parameters, native.Train.Count, native.Validation.Count, native.Test.Count,
            readTime, definition.Threads);
        string md = report.Write(runFolder, _seed, quick, _clock.Elapsed, commandLine);
        string reportPath = Path.Combine(runFolder, "report.md");
        AtomicFile.WriteAllText(reportPath, md);
        AtomicFile.WriteAllText(Path.Combine(runFolder, "metrics.json"), JsonSerializer.Serialize(new
        {
            seed = _seed,
            quick,
            trainImages = native.Train.Count,
            validationImages = native.Validation.Count,
            testImages = native.Test.Count,
            parameters = new { noBatchNorm = parameters.NoBatchNorm, batchNorm = parameters.BatchNorm },
            runs = results.All.Select(r => new
            {
                r.Section, r.Result.Name, r.Result.Network, r.Result.ImageSize, r.Result.BestEpoch, testAccuracy = r.Result.Test.Accuracy,
                testLoss = r.Result.Test.Loss, lastTestAccuracy = r.Result.LastTest?.Accuracy, seconds = r.Result.Duration.TotalSeconds,
                history = r.Result.History,
            }),
        }, new JsonSerializerOptions { WriteIndented = true }));
        log($"report: {reportPath}");
        return new PipelineRun(runFolder, reportPath, _clock.Elapsed, ["Run", "Best epoch", "Validation acc.", "Test acc."],
            [.. results.All.Select(r => (IReadOnlyList<string>)[r.Result.Name, $"{r.Result.BestEpoch}/{r.Result.History.Count}",
                ReportFormat.Percent(r.Result.Best.ValidationAccuracy), ReportFormat.Percent(r.Result.Test.Accuracy)])]);
    }

    /// <summary>The course ConvNet from scratch with the baseline recipe (SGD + momentum, the baseline schedule, no augmentation).</summary>
    private ImageClassificationTrainer.Options ConvNet(StudyBudget budget, bool batchNorm, double dropout = 0) => Common(new()
    {
        Mode = TrainingMode.Scratch,
        Architecture = "convnet",
        ArchitectureSettings = new()
        {
            ["batch-norm"] = batchNorm ? "true" : "false",
            ["dropout"] = dropout.ToString(CultureInfo.InvariantCulture),
        },
        ImageSize = Cifar10Set.Side,
        LearningRate = definition.Training.LearningRate,
        EarlyStoppingPatience = definition.Training.EarlyStoppingPatience,
        Epochs = budget.Epochs,
    });

    /// <summary>MobileNetV2: the pretrained backbone (head only or full) or the same architecture from scratch, at <paramref name="size"/>.</summary>
    private ImageClassificationTrainer.Options Transferred(StudyBudget budget, TrainingMode mode, double learningRate, int size) => Common(new()
    {
        Mode = mode,
        Architecture = "mobilenetv2",
        Backbone = definition.Transfer.Backbone,
        CutAt = definition.Transfer.CutAt,
        ImageSize = size,
        LearningRate = learningRate,
        Epochs = budget.TransferEpochs,
    });

    private ImageClassificationTrainer.Options Common(ImageClassificationTrainer.Options o)
    {
        o.BatchSize = definition.Training.BatchSize;
        o.Optimizer = OptimizerKind.Sgd;
        o.Schedule = definition.BaselineSchedule;
        o.Seed = _seed;
        o.Threads = definition.Threads;
        o.Progress = progress;
        return o;
    }
}
