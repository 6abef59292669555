using System.Diagnostics;
using MLPipelines.Catalog;
using MLPipelines.Data;
using MLPipelines.Data.Cifar10;
using MLPipelines.Evaluation;
using MLPipelines.Evaluation.LabelIssues;
using MLPipelines.Experiments;
using MLPipelines.Experiments.ImbalancedNoisy;
using MLPipelines.Pipelines;
using MLPipelines.Reports;
using MLPipelines.Torch.Training;

namespace MLPipelines.Torch.Experiments.ImbalancedNoisy;

/// <summary>One execution of an <see cref="ImbalancedNoisyDefinition"/>: computes every result, then hands them to <see cref="ImbalancedNoisyReport"/>.</summary>
internal sealed class ImbalancedNoisyRun(ImbalancedNoisyDefinition definition, RunOptions options, IProgress<ProgressUpdate>? progress, Action<string> log)
{
    private readonly int _seed = options.Seed ?? definition.Seed;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Phase, TimeSpan Time)> _phases = [];

    public PipelineRun Execute(string commandLine)
    {
        bool quick = options.Quick;
        int epochs = quick ? definition.Quick.Epochs : definition.Model.Epochs;
        var trainer = new SmallConvNetTrainer(definition.Model, epochs, _seed, progress);
        // The second network (the reference's baseline) and, with fold-model: convnet, the fold models.
        var networkModel = definition.LabelIssues.Model;
        var networkTrainer = new SmallConvNetTrainer(networkModel, quick ? definition.Quick.Epochs : networkModel.Epochs, _seed, progress);
        var data = Phase("read CIFAR-10 and inject noise", () => Load(quick));
        string runFolder = ExperimentRunner.CreateRunFolder(options, definition.Name);
        int k = data.Classes.Count;
        log($"imbalanced-noisy: train {string.Join("/", data.TrainCounts)}, test {string.Join("/", data.TestCounts)}, " +
            $"{data.Labels.NoisyIndices().Count} injected label errors, seed {_seed}");

        var given = data.Labels.Given;
        var validation = WithLabels(data.AllTrain, data.ValidationIndices, given);
        ModelEvaluation Fit(string name, string description, ClassBalancing balancing, IReadOnlyList<int> trainIndices, IReadOnlyList<int> labels) =>
            Phase($"train: {name}", () => TrainAndScore(trainer, name, description, balancing, WithLabels(data.AllTrain, trainIndices, labels), validation, data.Test));

        // Label issues first: they are the most expensive part and the others do not depend on them.
        var issues = LabelIssues(networkTrainer, data, quick);
        var naive = Fit("naive", "plain cross-entropy, shuffled batches", ClassBalancing.None, data.TrainIndices, given);
        var sampler = Fit("balanced sampler", "batches drawn with p ∝ 1/n_class (with replacement)", ClassBalancing.Sampler, data.TrainIndices, given);
        var weighted = Fit("class-weighted loss", "cross-entropy weighted n/(K·n_class)", ClassBalancing.WeightedLoss, data.TrainIndices, given);

        var sweep = Phase("learning-rate sweep", () => Sweep(trainer, WithLabels(data.AllTrain, data.TrainIndices, given), k, quick));

        var flagged = issues.Flags[definition.LabelIssues.Method];
        var pruned = data.TrainIndices.Where(i => !flagged[i]).ToList();
        string method = ImbalancedNoisyReport.MethodName(definition.LabelIssues.Method);
        var retrained = new List<ModelEvaluation>
        {
            weighted with { Name = "noisy labels (as given)" },
            Fit("relabelled (confident learning)", $"{method} flags relabelled to the arg-max out-of-fold class", ClassBalancing.WeightedLoss,
                data.TrainIndices, issues.Relabelled),
            Fit("pruned (confident learning)", $"{method} flags removed", ClassBalancing.WeightedLoss, pruned, given),
            Fit($"relabelled (second network ≥ {definition.LabelIssues.BaselineThreshold:0.###})", "the reference's baseline", ClassBalancing.WeightedLoss,
                data.TrainIndices, issues.BaselineLabels),
        };
        if (definition.LabelIssues.CleanLabelsRow)
            retrained.Add(Fit("true labels (upper bound)", "no noise at all", ClassBalancing.WeightedLoss, data.TrainIndices, data.Labels.True));

        var report = new ImbalancedNoisyReport(definition, _seed, quick, epochs, trainer.Describe(), networkTrainer.Describe(), FineTuneTrainer(quick).Describe(), runFolder);
        var run = report.Write(commandLine, data, [naive, sampler, weighted], sweep, issues, retrained, _phases, _clock.Elapsed);
        log($"report: {run.ReportPath}");
        return run;
    }

    private ExperimentData Load(bool quick)
    {
        var assets = new AssetLocator(options.Assets);
        string archive = Cifar10Archive.Locate(assets);
        var classes = definition.Data.Classes;
        var trainCounts = (quick ? definition.Quick.Train : definition.Data.Train).ToArray();
        var testCounts = (quick ? definition.Quick.Test : definition.Data.Test).ToArray();
        Cifar10Set Read(string split, int[] counts) => Cifar10Archive.Read(archive, new Cifar10Selection
        {
            Split = split,
            Classes = classes,
            MaxPerClassByName = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => counts[p.i]),
        }, progress);
        var train = Read("train", trainCounts);
        var test = Read("test", testCounts);
        foreach (var (set, counts) in new[] { (train, trainCounts), (test, testCounts) })
        {
            var found = set.CountPerClass();
            if (!found.SequenceEqual(counts))
                throw new InvalidOperationException($"{archive}: the {set.Split} split holds {string.Join("/", found)} images of " +
                    $"{string.Join("/", classes)}, fewer than the {string.Join("/", counts)} asked for");
        }
        var rules = definition.Noise.Select(r => new NoiseRule(definition.ClassIndex(r.From, "noise 'from'"), definition.ClassIndex(r.To, "noise 'to'"), r.Fraction)).ToList();
        var labels = LabelNoise.Inject(train.Labels, rules, classes.Count, _seed);
        // Validation is stratified by the label a user would see (the noisy one), seeded like the trainer's own split.
        var names = Names(train, classes);
        var (validationIndices, trainIndices) = StratifiedSplit.Take(Enumerable.Range(0, train.Count), i => labels.Given[i].ToString("D3"), i => names[i],
            definition.Data.ValidationFraction, _seed + 1);
        return new ExperimentData(classes, ToImageSet(train, names), labels, [.. trainIndices.Order()], [.. validationIndices.Order()],
            ToImageSet(test, Names(test, classes)), trainCounts, testCounts);
    }

    private static string[] Names(Cifar10Set set, IReadOnlyList<string> classes) =>
        [.. Enumerable.Range(0, set.Count).Select(i => $"cifar10/{set.Split}/{classes[set.Labels[i]]}/{set.Numbers[i]:D4}")];

    private static DecodedImageSet ToImageSet(Cifar10Set set, IReadOnlyList<string> names) =>
        DecodedImageSet.FromImages([.. Enumerable.Range(0, set.Count).Select(set.ToImageTensor)], set.Labels, names, Cifar10Set.Side);

    /// <summary>The images at <paramref name="indices"/> of <paramref name="all"/> with <paramref name="labels"/>[index] as their labels.</summary>
    private static DecodedImageSet WithLabels(DecodedImageSet all, IReadOnlyList<int> indices, IReadOnlyList<int> labels) =>
        DecodedImageSet.FromImages([.. indices.Select(i => all.Images[i])], [.. indices.Select(i => labels[i])], [.. indices.Select(i => all.Paths[i])], all.Size);

    private ModelEvaluation TrainAndScore(SmallConvNetTrainer trainer, string name, string description, ClassBalancing balancing,
        DecodedImageSet train, DecodedImageSet validation, DecodedImageSet test)
    {
        var clock = Stopwatch.StartNew();
        var classes = definition.Data.Classes;
        using var model = trainer.Train(train, classes.Count, balancing, name);
        ClassificationMetrics Score(DecodedImageSet set) => ClassificationMetrics.Compute(model.Probabilities(set), set.Labels, classes);
        var result = new ModelEvaluation(name, description, Score(train), Score(validation), Score(test),
            [.. model.Result.History.Select(h => h.TrainLoss)], clock.Elapsed);
        log($"{name}: test accuracy {ReportFormat.Percent(result.Test.Accuracy)}, macro-F1 {ReportFormat.Number(result.Test.MacroF1)}, " +
            $"recall {string.Join(" / ", result.Test.PerClass.Select(c => ReportFormat.Percent(c.Recall)))} " +
            $"({ReportFormat.Duration(clock.Elapsed)}, {model.Result.History.Average(h => h.ImagesPerSecond):0} training images/s)");
        return result;
    }

    private List<SweepPoint> Sweep(SmallConvNetTrainer trainer, DecodedImageSet train, int classCount, bool quick)
    {
        var rates = quick ? definition.Quick.LearningRates : definition.LrSweep.LearningRates;
        int epochs = quick ? 1 : definition.LrSweep.Epochs;
        var divergence = new LossDivergence(definition.LrSweep.DivergenceFactor);
        var points = new List<SweepPoint>();
        foreach (double rate in rates)
        {
            var clock = Stopwatch.StartNew();
            using var model = trainer.Train(train, classCount, ClassBalancing.None, $"lr {rate:g3}", constantRate: rate, epochsOverride: epochs);
            var losses = model.Result.History.Select(h => h.TrainLoss).ToList();
            bool diverged = divergence.IsDiverged(losses, model.InitialLoss);
            points.Add(new SweepPoint(rate, losses, model.InitialLoss, diverged, clock.Elapsed));
            log($"lr {rate:g3}: final training loss {(diverged ? "diverged" : ReportFormat.Number(losses[^1], "0.0000"))} " +
                $"(initial {ReportFormat.Number(model.InitialLoss)}, last epoch {losses[^1]:g4})");
        }
        return points;
    }

    private LabelIssueResults LabelIssues(SmallConvNetTrainer networkTrainer, ExperimentData data, bool quick)
    {
        var settings = definition.LabelIssues;
        int folds = quick ? definition.Quick.Folds : settings.Folds;
        int k = data.Classes.Count;
        var given = data.Labels.Given;
        var all = Enumerable.Range(0, data.AllTrain.Count).ToList();
        var foldOf = StratifiedFolds.Assign(given, folds, _seed + 2);
        Func<int[]>? featureBaseline = null;
        var foldClock = Stopwatch.StartNew();
        var settingsChosen = new List<string>();
        var kinds = definition.LabelIssues.FoldModels();
        var members = new List<(string, Func<int, IReadOnlyList<int>, IReadOnlyList<int>, IReadOnlyList<float[]>>)>();
        // Same folds for every member, so the ensemble's average for an image also comes only from models that never saw it.
        if (kinds.Contains(ImbalancedNoisyDefinition.FoldModelKind.Convnet))
            members.Add((MemberName(ImbalancedNoisyDefinition.FoldModelKind.Convnet), (fold, rest, held) => Phase($"k-fold convnet: fold {fold + 1}/{folds}", () =>
            {
                using var model = networkTrainer.Train(WithLabels(data.AllTrain, rest, given), k, settings.Balancing, $"fold {fold + 1}/{folds}", seedOffset: 100 + fold);
                return LogFold("convnet", fold, folds, held, data, model.Probabilities(WithLabels(data.AllTrain, held, given)), "");
            })));
        if (kinds.Contains(ImbalancedNoisyDefinition.FoldModelKind.FrozenFeatures))
        {
            // Features once for all training images; then each fold is a linear fit of seconds.
            var frozen = settings.FrozenFeatures;
            var extractor = PretrainedFeatures.Create(frozen.Backbone, frozen.ImageSize, new AssetLocator(options.Assets), frozen.Threads, frozen.FlipAverage);
            var batch = Phase($"frozen features ({frozen.Backbone} at {frozen.ImageSize}×{frozen.ImageSize})", () => extractor.Extract(data.AllTrain.Images, progress));
            var features = batch.Features;
            log($"{frozen.Backbone} features at {frozen.ImageSize}×{frozen.ImageSize}: {features.Length} images in {ReportFormat.Duration(batch.Time)} " +
                $"({batch.ImagesPerSecond:0} images/s)");
            var classifier = new FeatureFoldClassifier(frozen.Trainer, data.Classes, _seed, quick) { Parallelism = frozen.Threads };
            members.Add((MemberName(ImbalancedNoisyDefinition.FoldModelKind.FrozenFeatures), (fold, rest, held) => Phase($"k-fold frozen features: fold {fold + 1}/{folds}", () =>
            {
                var (probabilities, chosen) = classifier.FitAndScore(features, given, rest, held);
                settingsChosen.Add(chosen);
                return LogFold("frozen features", fold, folds, held, data, probabilities, $" ({chosen})");
            })));
            // Not the reference's method, shown beside it: the same 0.999 rule on the frozen-features classifier fitted on all noisy
            // training images (its own training images, so in-sample probabilities).
            featureBaseline = () => Phase("frozen-features classifier on all images (0.999 rule)", () =>
                ConfidenceRelabelling.Relabel(classifier.FitAndScore(features, given, all, all).Probabilities, given, settings.BaselineThreshold));
        }
        if (kinds.Contains(ImbalancedNoisyDefinition.FoldModelKind.FineTune))
        {
            var fineTune = FineTuneTrainer(quick);
            var upsampled = Phase($"upsample to {settings.FineTune.ImageSize}×{settings.FineTune.ImageSize} (fine-tune)", () => fineTune.Upsample(WithLabels(data.AllTrain, all, given)));
            members.Add((MemberName(ImbalancedNoisyDefinition.FoldModelKind.FineTune), (fold, rest, held) => Phase($"k-fold fine-tune: fold {fold + 1}/{folds}", () =>
            {
                var clock = Stopwatch.StartNew();
                var probabilities = fineTune.FitAndScore(upsampled.Subset(rest), upsampled.Subset(held), k, $"fine-tune fold {fold + 1}/{folds}", seedOffset: 200 + fold);
                // TorchSharp's freed activations stay in glibc's arenas; handing them back keeps them out of the next fold's peak.
                MLPipelines.Diagnostics.ProcessMemory.ReleaseFreedMemory();
                return LogFold("fine-tune", fold, folds, held, data, probabilities, $" ({ReportFormat.Duration(clock.Elapsed)})");
            })));
        }
        // Members in the order the YAML lists them (the report's rows and out-of-fold.csv's columns follow it).
        string[] order = [.. kinds.Select(MemberName)];
        members.Sort((a, b) => Array.IndexOf(order, a.Item1).CompareTo(Array.IndexOf(order, b.Item1)));
        var ensemble = OutOfFoldEnsemble.Compute(foldOf, folds, members);
        var outOfFold = ensemble.Average;
        foldClock.Stop();
        foreach (var (name, member) in ensemble.Names.Zip(ensemble.Members).Where(_ => ensemble.Members.Count > 1))
            log($"out-of-fold ({name} alone): accuracy {ReportFormat.Percent(FoldQuality.Compute(member, given, data.Labels.True, data.Classes).AgainstTruth.Accuracy)} against the true labels");
        var foldQuality = FoldQuality.Compute(outOfFold, given, data.Labels.True, data.Classes);
        log($"out-of-fold{(ensemble.Members.Count > 1 ? " (ensemble mean)" : "")}: accuracy {ReportFormat.Percent(foldQuality.AgainstGiven.Accuracy)} against the given labels, " +
            $"{ReportFormat.Percent(foldQuality.AgainstTruth.Accuracy)} against the true labels; recall against the true labels " +
            string.Join(" / ", foldQuality.AgainstTruth.PerClass.Select(c => ReportFormat.Percent(c.Recall))));
        var learning = ConfidentLearning.Compute(outOfFold, given, k);
        var flags = Enum.GetValues<LabelIssueMethod>().ToDictionary(m => m, learning.Flags);
        var argMax = learning.ArgMaxClasses();
        var chosen = flags[settings.Method];
        var relabelled = given.Select((label, i) => chosen[i] ? argMax[i] : label).ToArray();
        foreach (var (m, f) in flags)
        {
            var score = DetectionScore.Compute(f, [.. all.Select(data.Labels.IsNoisy)]);
            log($"{ImbalancedNoisyReport.MethodName(m)}: {score.Flagged} flagged, precision {ReportFormat.Number(score.Precision)}, recall {ReportFormat.Number(score.Recall)}");
        }

        // The reference's baseline: a second network trained on the same noisy images relabels what it is ≥ threshold sure of.
        var baselineClock = Stopwatch.StartNew();
        var baselineLabels = Phase("second network (baseline)", () =>
        {
            using var second = networkTrainer.Train(WithLabels(data.AllTrain, all, given), k, settings.Balancing, "second network", seedOffset: 1000);
            return ConfidenceRelabelling.Relabel(second.Probabilities(data.AllTrain), given, settings.BaselineThreshold);
        });
        int[]? featureBaselineLabels = featureBaseline?.Invoke();
        // The reference's rule on the out-of-fold probabilities (not the reference's method: no second network, no in-sample confidence).
        var thresholdRelabellings = settings.ThresholdRelabelling.Thresholds.Select(t => new ThresholdRelabelling(t, ConfidenceRelabelling.Relabel(outOfFold, given, t))).ToList();
        if (definition.Noise.Count > 0)
        {
            var rule = definition.Noise[0];
            int givenClass = definition.ClassIndex(rule.To, "noise 'to'"), hidden = definition.ClassIndex(rule.From, "noise 'from'");
            var relabellings = new List<(string, int[])> { ("confident learning → arg-max", relabelled), ("second network", baselineLabels) };
            if (featureBaselineLabels is not null) relabellings.Add(("frozen-features classifier ≥ threshold", featureBaselineLabels));
            relabellings.AddRange(thresholdRelabellings.Select(r => ($"out-of-fold probability ≥ {r.Threshold:0.###}", r.Labels)));
            foreach (var (name, labels) in relabellings)
                log($"{name}: {RelabellingAudit.Compute(given, data.Labels.True, labels, givenClass, hidden).Describe(rule.To, rule.From)}");
        }
        return new LabelIssueResults(ensemble, foldQuality, learning, flags, relabelled, baselineLabels, featureBaselineLabels, thresholdRelabellings,
            settingsChosen, foldClock.Elapsed, baselineClock.Elapsed);
    }

    /// <summary>The name of a fold model in the log, the report and out-of-fold.csv's columns (spaces become hyphens there).</summary>
    internal static string MemberName(ImbalancedNoisyDefinition.FoldModelKind kind) => kind switch
    {
        ImbalancedNoisyDefinition.FoldModelKind.Convnet => "convnet",
        ImbalancedNoisyDefinition.FoldModelKind.FrozenFeatures => "frozen features",
        ImbalancedNoisyDefinition.FoldModelKind.FineTune => "fine-tune",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "an ensemble is not a member of itself"),
    };

    /// <summary>The fine-tune fold models' trainer (--quick: at most quick 'epochs').</summary>
    private FineTuneFoldTrainer FineTuneTrainer(bool quick)
    {
        var fineTune = definition.LabelIssues.FineTune;
        return new FineTuneFoldTrainer(fineTune, quick ? Math.Min(fineTune.Epochs, definition.Quick.Epochs) : fineTune.Epochs, _seed, options.Assets, progress);
    }

    /// <summary>Logs one fold's quality against the true labels (for the log only; nothing is chosen on it) and returns the probabilities.</summary>
    private IReadOnlyList<float[]> LogFold(string member, int fold, int folds, IReadOnlyList<int> held, ExperimentData data, IReadOnlyList<float[]> probabilities, string suffix)
    {
        var heldQuality = ClassificationMetrics.Compute(probabilities, [.. held.Select(i => data.Labels.True[i])], data.Classes);
        log($"{member}, fold {fold + 1}/{folds}: {held.Count} held-out images scored, accuracy {ReportFormat.Percent(heldQuality.Accuracy)} against the true labels, " +
            $"recall {string.Join(" / ", heldQuality.PerClass.Select(c => ReportFormat.Percent(c.Recall)))}{suffix}");
        return probabilities;
    }

    private T Phase<T>(string name, Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        var result = work();
        _phases.Add((name, clock.Elapsed));
        return result;
    }
}
