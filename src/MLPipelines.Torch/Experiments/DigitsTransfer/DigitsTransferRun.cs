using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MLPipelines.Catalog;
using MLPipelines.Data;
using MLPipelines.Data.Idx;
using MLPipelines.Experiments;
using MLPipelines.Pipelines;
using MLPipelines.Reports;
using MLPipelines.Reports.Plots;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Experiments.DigitsTransfer;

/// <summary>One execution of a <see cref="DigitsTransferDefinition"/>: every (seed, A, s, augmentation) pretraining, its fine-tunes, the report.</summary>
internal sealed class DigitsTransferRun(DigitsTransferDefinition definition, RunOptions options, IProgress<ProgressUpdate>? progress, Action<string> log)
{
    private const double Target = 0.95;
    private const string Untrained = "untrained extractor";
    private const int ClassCount = 10; // MNIST and Fashion-MNIST, the only datasets a definition accepts
    private readonly int _firstSeed = options.Seed ?? definition.Seed;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>One fine-tune result.</summary>
    private sealed record Score(string Pair, string Augmentation, int SamplesPerClass, int SeedIndex, double Accuracy, double PretrainLoss);

    public PipelineRun Execute(string commandLine)
    {
        bool quick = options.Quick;
        var samples = (quick ? definition.Quick.SamplesPerClass : definition.SamplesPerClass).Distinct().Order().ToList();
        int seeds = quick ? definition.Quick.Seeds : definition.Seeds;
        var pretrain = definition.Pretrain;
        if (quick) pretrain = new DigitsTransferDefinition.PretrainSettings
        {
            Epochs = pretrain.Epochs, MinSteps = Math.Min(pretrain.MinSteps, definition.Quick.PretrainMaxSteps),
            MaxSteps = definition.Quick.PretrainMaxSteps, BatchSize = pretrain.BatchSize, LearningRate = pretrain.LearningRate,
            MixupAlpha = pretrain.MixupAlpha, CollageProbability = pretrain.CollageProbability,
        };
        int testPerClass = quick ? definition.Quick.TestPerClass : definition.FineTune.TestPerClass;
        var assets = new AssetLocator(options.Assets);
        var datasets = definition.Pairs.SelectMany(p => new[] { p.Source, p.Target }).Distinct()
            .ToDictionary(name => name, name => MnistDataset.Load(name, assets));
        foreach (var (name, dataset) in datasets)
        {
            int smallest = dataset.Train.CountPerClass(dataset.Classes.Count).Min();
            if (samples.Max() > smallest || definition.FineTune.TrainPerClass > smallest)
                throw new PipelineException($"{definition.Origin}: {name} has only {smallest} training images in its smallest class");
        }
        string runFolder = ExperimentRunner.CreateRunFolder(options, definition.Name);
        int threads = Math.Min(definition.Threads, Environment.ProcessorCount);
        set_num_threads(threads);
        log($"digits-transfer: {definition.Pairs.Count} pairs, s ∈ {{{string.Join(", ", samples)}}}, {string.Join("/", definition.Augmentations)}, " +
            $"{seeds} seed(s) from {_firstSeed}, {string.Join("/", samples.Select(s => pretrain.Steps(ClassCount * s)))} pretraining steps, {threads} TorchSharp threads");

        var scores = new List<Score>();
        var sources = definition.Pairs.Select(p => p.Source).Distinct().ToList();
        int total = seeds * sources.Count * (samples.Count * definition.Augmentations.Count + 1), done = 0;
        var pretrainTime = TimeSpan.Zero;
        var fineTuneTime = TimeSpan.Zero;
        for (int seedIndex = 0; seedIndex < seeds; seedIndex++)
        {
            int seed = _firstSeed + seedIndex;
            // Fixed per seed: B's fine-tune and test subsets, the same for every s and augmentation.
            var fineTuneSets = datasets.ToDictionary(d => d.Key, d => (
                Train: new NestedClassSample(d.Value.Train.LabelsAt([.. Enumerable.Range(0, d.Value.Train.Count)]), d.Value.Classes.Count, seed + 1000)
                    .Take(definition.FineTune.TrainPerClass),
                Test: new NestedClassSample(d.Value.Test.LabelsAt([.. Enumerable.Range(0, d.Value.Test.Count)]), d.Value.Classes.Count, seed + 2000)
                    .Take(testPerClass)));
            foreach (var source in sources)
            {
                var a = datasets[source];
                var nested = new NestedClassSample(a.Train.LabelsAt([.. Enumerable.Range(0, a.Train.Count)]), a.Classes.Count, seed);
                var settings = new List<(string Augmentation, int S)> { (Untrained, 0) };
                settings.AddRange(samples.SelectMany(s => definition.Augmentations.Select(aug => (aug, s))));
                foreach (var (augmentation, s) in settings)
                {
                    progress?.Report(new ProgressUpdate($"seed {seedIndex + 1}/{seeds}, pretrain on {source}", done++, total,
                        s == 0 ? Untrained : $"s={s}, {augmentation}"));
                    using var scope = NewDisposeScope();
                    using var network = new DigitsConvNet(a.Classes.Count, seed, definition.Channels[0], definition.Channels[1]);
                    var clock = Stopwatch.StartNew();
                    double loss = s == 0 ? double.NaN
                        : DigitsPretrainer.Train(network, a.Train, nested.Take(s), a.Classes.Count, definition.Augmentation(augmentation), pretrain, seed);
                    pretrainTime += clock.Elapsed;
                    clock.Restart();
                    foreach (var pair in definition.Pairs.Where(p => p.Source == source))
                    {
                        var b = datasets[pair.Target];
                        var (train, test) = fineTuneSets[pair.Target];
                        var result = FrozenExtractorFineTune.Run(network, b.Train, train, b.Test, test, b.Classes.Count, definition.FineTune, seed);
                        scores.Add(new Score(pair.ToString(), augmentation, s, seedIndex, result.TestAccuracy, loss));
                    }
                    fineTuneTime += clock.Elapsed;
                }
                log($"seed {seed}, A = {source}: " + string.Join("; ", definition.Pairs.Where(p => p.Source == source).Select(p =>
                    $"{p} at s={samples.Max()}: " + string.Join(", ", definition.Augmentations.Select(aug =>
                        $"{aug} {ReportFormat.Percent(scores.Single(x => x.Pair == p.ToString() && x.Augmentation == aug && x.SamplesPerClass == samples.Max() && x.SeedIndex == seedIndex).Accuracy)}")))));
            }
        }

        string md = Report(commandLine, runFolder, scores, samples, seeds, pretrain, testPerClass, pretrainTime, fineTuneTime, threads);
        string reportPath = Path.Combine(runFolder, "report.md");
        AtomicFile.WriteAllText(reportPath, md);
        AtomicFile.WriteAllText(Path.Combine(runFolder, "metrics.json"), JsonSerializer.Serialize(new
        {
            firstSeed = _firstSeed,
            seeds,
            quick,
            pretrainSteps = samples.ToDictionary(s => s, s => pretrain.Steps(ClassCount * s)),
            scores = scores.Select(s => new { s.Pair, s.Augmentation, s.SamplesPerClass, Seed = _firstSeed + s.SeedIndex, s.Accuracy }),
        }, new JsonSerializerOptions { WriteIndented = true }));
        log($"report: {reportPath}");
        return new PipelineRun(runFolder, reportPath, _clock.Elapsed, ["Pair", "Augmentation", $"s={samples.Max()} (mean ± std)"],
            [.. definition.Pairs.SelectMany(p => definition.Augmentations.Select(aug => (IReadOnlyList<string>)[p.ToString(), aug,
                MeanStd(Accuracies(scores, p.ToString(), aug, samples.Max()))]))]);
    }

    private string Report(string commandLine, string runFolder, List<Score> scores, List<int> samples, int seeds,
        DigitsTransferDefinition.PretrainSettings pretrain, int testPerClass, TimeSpan pretrainTime, TimeSpan fineTuneTime, int threads)
    {
        var md = new StringBuilder();
        var fineTune = definition.FineTune;
        string description = definition.Description.Length > 0 ? definition.Description
            : "Pretraining a small ConvNet on s images per class of dataset A, then training only a new linear head on dataset B.";
        ReportHeader.Append(md, $"{definition.Name}: few-shot pretraining, frozen-extractor transfer", description, runFolder, _firstSeed,
            options.Quick, _clock.Elapsed, commandLine);
        md.Append("> The reference experiment used EMNIST, which is **not available offline**; this run uses MNIST and Fashion-MNIST in its place.\n\n");

        md.Append("## Setup\n\n");
        using (var probe = new DigitsConvNet(10, 0, definition.Channels[0], definition.Channels[1]))
            md.Append($"- Network: [conv 3×3 → BatchNorm → ReLU → max-pool 2] × 2 ({definition.Channels[0]}, {definition.Channels[1]} channels) → linear → ReLU = {DigitsConvNet.FeatureSize}-d features " +
                      $"({probe.Extractor.parameters().Sum(p => p.numel()):N0} extractor parameters), pretraining head linear {DigitsConvNet.FeatureSize} → 10. " +
                      "Inputs are 28×28 grayscale in [0, 1].\n");
        md.Append($"- Pretraining on A: s ∈ {{{string.Join(", ", samples)}}} training images per class, drawn per class with the seed so that each smaller set " +
                  $"is part of each larger one; Adam (lr {pretrain.LearningRate.ToString(CultureInfo.InvariantCulture)}), batch min({pretrain.BatchSize}, 10·s), " +
                  $"{pretrain.Epochs} epochs clamped to {pretrain.MinSteps}…{pretrain.MaxSteps} steps: **" +
                  string.Join(", ", samples.Select(s => $"{pretrain.Steps(ClassCount * s)} steps at s={s}")) + "**; soft-target cross-entropy.\n");
        md.Append($"- Augmentations: none; mixup (Beta({pretrain.MixupAlpha.ToString(CultureInfo.InvariantCulture)}, " +
                  $"{pretrain.MixupAlpha.ToString(CultureInfo.InvariantCulture)}), image i mixed with image i − 1 of the batch); collage (probability " +
                  $"{pretrain.CollageProbability.ToString(CultureInfo.InvariantCulture)}, partner from a random cyclic permutation). " +
                  "A batch never holds the same image twice, so the partner is never the image itself; targets are the area- or λ-weighted soft labels.\n");
        md.Append($"- Transfer to B: the extractor is frozen (no gradients, BatchNorm in eval mode); a new linear head is trained with Adam " +
                  $"(lr {fineTune.LearningRate.ToString(CultureInfo.InvariantCulture)}, {fineTune.Steps} steps of batch {fineTune.BatchSize}) on " +
                  $"**{fineTune.TrainPerClass} training images per class of B** and scored on **{testPerClass} test images per class of B** " +
                  "(seeded subsets, fixed per seed).\n");
        md.Append($"- {seeds} seed(s) ({_firstSeed}…{_firstSeed + seeds - 1}): each changes the subsets, the initial weights and the batches; " +
                  "within a seed every s and augmentation starts from the same initial weights. " +
                  $"\"{Untrained}\": the same network with its initial weights, frozen without pretraining (the reference line for what pretraining adds).\n");
        md.Append($"- Compute: pretraining {ReportFormat.Duration(pretrainTime)}, feature extraction and head training {ReportFormat.Duration(fineTuneTime)}, " +
                  $"{threads} TorchSharp threads. For a longer budget run `digits-transfer-long` (more pretraining steps, all test images), or copy " +
                  "`pipelines/digits-transfer.yaml`, raise `pretrain: max-steps` and run it with `run <file>`.\n\n");

        md.Append("## Results\n\n");
        int largest = samples.Max();
        var mnistPair = definition.Pairs.FirstOrDefault(p => p.Source == "mnist" && p.Target == "mnist")?.ToString();
        if (mnistPair is not null && largest >= 64)
        {
            var best = definition.Augmentations.Select(aug => (aug, Mean: Accuracies(scores, mnistPair, aug, 64).Average())).MaxBy(x => x.Mean);
            md.Append($"**Target: MNIST → MNIST at s = 64 ≥ {Target * 100:0}% — {(best.Mean >= Target ? "met" : "NOT met")}**: best mean " +
                      $"{ReportFormat.Percent(best.Mean)} ({best.aug}); " + string.Join(", ", definition.Augmentations.Select(aug =>
                          $"{aug} {MeanStd(Accuracies(scores, mnistPair, aug, 64))}")) + ".\n\n");
        }
        var panels = definition.Pairs.Select(pair =>
        {
            var xs = samples.Select(s => (double)s).ToList();
            var series = definition.Augmentations.Select(aug => LineSeries.FromRuns(aug, xs,
                [.. samples.Select(s => (IReadOnlyList<double>)Accuracies(scores, pair.ToString(), aug, s))])).ToList();
            var untrained = Accuracies(scores, pair.ToString(), Untrained, 0).Average();
            series.Add(new LineSeries(Untrained, [xs[0], xs[^1]], [untrained, untrained]) { ShowMarkers = false });
            return (Chart)new LineChart(series)
            {
                Title = pair.ToString(), XLabel = "pretraining images per class (s)", YLabel = "test accuracy on B", LogX = true, ShowMarkers = true,
                Legend = LegendPlacement.LowerRight,
            };
        }).ToList();
        PlotRenderer.Save(new ChartGrid(panels) { Title = $"Frozen-extractor accuracy on B against s (mean ± std over {seeds} seed(s))", Columns = 2 },
            Path.Combine(runFolder, "plots", "accuracy-vs-s.png"), 1300, 950);
        md.Append("![accuracy against s](plots/accuracy-vs-s.png)\n\n");

        md.Append($"Test accuracy on B, mean ± std over {seeds} seed(s) (sample std; a single seed shows no std):\n\n");
        foreach (var pair in definition.Pairs)
        {
            md.Append($"### {pair}\n\n");
            var table = new MarkdownTable(["Augmentation", .. samples.Select(s => $"s={s}")]).AlignRight([.. Enumerable.Range(1, samples.Count)]);
            foreach (var aug in definition.Augmentations)
                table.Add([aug, .. samples.Select(s => (object)MeanStd(Accuracies(scores, pair.ToString(), aug, s)))]);
            md.Append(table).Append('\n');
            md.Append($"{Untrained}: {MeanStd(Accuracies(scores, pair.ToString(), Untrained, 0))}.\n\n");
        }

        md.Append("## Pretraining loss\n\n");
        md.Append("Mean soft-target cross-entropy of the last 10 pretraining steps (averaged over seeds and the pairs sharing A). Mixed batches have soft " +
                  "targets, whose cross-entropy cannot reach 0, so compare within a row only.\n\n");
        var lossTable = new MarkdownTable(["A", "Augmentation", .. samples.Select(s => $"s={s}")]).AlignRight([.. Enumerable.Range(2, samples.Count)]);
        foreach (var source in definition.Pairs.Select(p => p.Source).Distinct())
            foreach (var aug in definition.Augmentations)
                lossTable.Add([source, aug, .. samples.Select(s => (object)ReportFormat.Number(scores
                    .Where(x => x.Pair.StartsWith(source + " ", StringComparison.Ordinal) && x.Augmentation == aug && x.SamplesPerClass == s)
                    .Average(x => x.PretrainLoss)))]);
        md.Append(lossTable).Append('\n');
        return md.ToString();
    }

    private static List<double> Accuracies(List<Score> scores, string pair, string augmentation, int s) =>
        [.. scores.Where(x => x.Pair == pair && x.Augmentation == augmentation && x.SamplesPerClass == s).OrderBy(x => x.SeedIndex).Select(x => x.Accuracy)];

    private static string MeanStd(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return "—";
        double mean = values.Average();
        if (values.Count == 1) return ReportFormat.Percent(mean);
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return $"{ReportFormat.Percent(mean)} ± {100 * std:0.0}";
    }
}
