using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Diagnostics;
using MLPipelines.Evaluation;
using MLPipelines.Imaging;
using MLPipelines.Imaging.Augmentation;
using MLPipelines.Pipelines;
using MLPipelines.Pipelines.Methods;
using MLPipelines.Torch.Interpretability;
using MLPipelines.Torch.Training;
using MLPipelines.Training;

namespace MLPipelines.Torch.Pipelines;

/// <summary>
/// Trains a CNN through the network with TorchSharp (<c>kind: fine-tune</c>): scratch, head-only, full or gradual. Model
/// selection follows the reference protocol: each learning rate of the grid trains on the training split, the best epoch by
/// validation accuracy is kept (the stopping epoch), the rate with the best validation accuracy wins, and that model is
/// evaluated once on test. The default grid is <see cref="LearningRates"/>; <c>--full-grid</c> uses <see cref="FullGridLearningRates"/>.
/// </summary>
public sealed class FineTuneMethod : MethodDefinition
{
    /// <summary>scratch, head-only, full or gradual. Default full.</summary>
    public TrainingMode Mode { get; set; } = TrainingMode.Full;

    /// <summary>Architecture for scratch. Default resnet18.</summary>
    public string Architecture { get; set; } = "resnet18";

    /// <summary>Settings of the scratch architecture (its option names). Default none.</summary>
    public Dictionary<string, string> ArchitectureSettings { get; set; } = [];

    /// <summary>Pretrained backbone (catalog name or .onnx); <c>--backbone</c> overrides it. Default mobilenetv2-1.0-bn-features.</summary>
    public string Backbone { get; set; } = "mobilenetv2-1.0-bn-features";

    /// <summary>Tensor the head attaches to. Default features.</summary>
    public string CutAt { get; set; } = "features";

    /// <summary>Training image side. Default 224.</summary>
    public int ImageSize { get; set; } = 224;

    /// <summary>Epochs per learning rate. Default 8.</summary>
    public int Epochs { get; set; } = 8;

    /// <summary>Batch size. Default 16.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>sgd or adam-w. Default sgd (momentum 0.9).</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Sgd;

    /// <summary>Learning rates of the default budget. Default [0.01, 0.001].</summary>
    public List<double> LearningRates { get; set; } = [0.01, 0.001];

    /// <summary>Learning rates under <c>--full-grid</c>. Default the reference grid [0.01, 0.03, 0.001, 0.003, 0.0001].</summary>
    public List<double> FullGridLearningRates { get; set; } = [0.01, 0.03, 0.001, 0.003, 0.0001];

    /// <summary>Backbone rate = rate × this factor. Default 1.</summary>
    public double BackboneLearningRateFactor { get; set; } = 1;

    /// <summary>Learning-rate schedule. Default cosine.</summary>
    public LearningRateScheduleKind Schedule { get; set; } = LearningRateScheduleKind.Cosine;

    /// <summary>Warm-up epochs of the cosine schedule. Default 0.</summary>
    public double WarmupEpochs { get; set; }

    /// <summary>Weight decay. Default 1e-4.</summary>
    public double WeightDecay { get; set; } = 1e-4;

    /// <summary>Label smoothing. Default 0.</summary>
    public double LabelSmoothing { get; set; }

    /// <summary>
    /// Batch normalization uses the pretrained running statistics during training too (see
    /// <see cref="ImageClassificationTrainer.Options.FreezeBatchNormStatistics"/>). Default false.
    /// </summary>
    public bool FreezeBatchNormStatistics { get; set; }

    /// <summary>Head-only epochs before unfreezing (gradual). Default 1.</summary>
    public int HeadEpochs { get; set; } = 1;

    /// <summary>Augmentation: a preset name or spec text (see docs/augmentation.md), e.g. <c>strong, mixup(alpha=0.2)</c>. Default none.</summary>
    public string Augmentation { get; set; } = "none";

    /// <summary>Stop a learning rate after this many epochs without validation improvement. Default: train every epoch.</summary>
    public int? EarlyStoppingPatience { get; set; }

    /// <summary>
    /// Epochs averaged when the stopping epoch and the learning rate are chosen on validation accuracy (see
    /// <see cref="ImageClassificationTrainer.Options.SelectionWindow"/>). Default 1; pacs-fewshot uses 3 (47 validation images).
    /// </summary>
    public int SelectionWindow { get; set; } = 1;

    /// <summary>
    /// After selection, train once more on the training and validation images together, with the chosen rate for the chosen
    /// number of epochs, and test that model (the frozen-feature rows refit the same way). Default true.
    /// </summary>
    public bool Refit { get; set; } = true;

    /// <summary>
    /// Average the logits over each test image and its mirror image. The flip is part of the exported ONNX graph, so the
    /// model.zip stays stock ML.NET (and scores at half the speed). Default false.
    /// </summary>
    public bool TestTimeAugmentation { get; set; }

    public override void Validate(string origin)
    {
        if (LearningRates.Count == 0 || LearningRates.Any(r => !(r > 0)))
            throw new PipelineException($"{origin}: fine-tune learning-rates must be a non-empty list of positive rates");
        if (FullGridLearningRates.Count == 0 || FullGridLearningRates.Any(r => !(r > 0)))
            throw new PipelineException($"{origin}: fine-tune full-grid-learning-rates must be a non-empty list of positive rates");
        try
        {
            Options(LearningRates[0], quick: false).Validate();
        }
        catch (ArgumentException e)
        {
            throw new PipelineException($"{origin}: fine-tune {e.Message}");
        }
    }

    public override IReadOnlyList<MethodResult> Run(ExperimentContext context)
    {
        TrainerNetworks.Assets = context.Options.Assets;
        if (Mode != TrainingMode.Scratch && context.Options.Backbone is string backbone) Backbone = backbone;
        bool quick = context.Options.Quick;
        var rates = quick ? [LearningRates[0]] : context.Options.FullGrid ? FullGridLearningRates : LearningRates;
        string id = FrozenFeaturesMethod.Slug($"fine-tune-{Mode}-{(Mode == TrainingMode.Scratch ? Architecture : Backbone)}-{AugmentationId()}{NameId()}");
        string folder = context.Folder(id);
        var split = context.Split;

        var clock = Stopwatch.StartNew();
        var runs = new List<(double Rate, TrainingResult Training)>();
        // Only the best run so far keeps its network, and with a refit none does: each learning rate's network is freed
        // before the next one trains (pacs-full had kept every rate's fit, 5.5 GiB resident after four rates).
        (double Rate, ImageClassificationFit? Fit, TrainingResult? Training) chosen = (0, null, null);
        var grid = new List<GridPoint>();
        // Decoded once for every learning rate and the refit (a head-only grid then also computes the backbone outputs once).
        var decoding = Options(rates[0], quick);
        decoding.Progress = context.Progress;
        var decoder = new ImageClassificationTrainer(context.MLContext, decoding);
        var trainImages = decoder.Decode(split.Train, split.Classes, "decode training images");
        var validationImages = split.Validation.Count > 0 ? decoder.Decode(split.Validation, split.Classes, "decode validation images") : null;
        foreach (double rate in rates)
        {
            var options = TrainingRunOptions(context, rate, quick, id, Invariant(rate), Path.Combine(folder, "networks", Invariant(rate)));
            var watch = Stopwatch.StartNew();
            var fit = new ImageClassificationTrainer(context.MLContext, options).Fit(trainImages, validationImages, split.Classes);
            var trained = fit.Training;
            grid.Add(new GridPoint(Invariant($"lr={rate:g}, epoch {trained.BestEpoch}/{trained.History.Count}{WindowNote(trained)}"),
                trained.SelectionAccuracy, trained.SelectionLoss, watch.Elapsed));
            context.Log(Invariant($"{Describe()} lr={rate:g}: best epoch {trained.BestEpoch}{WindowNote(trained)}, validation {trained.SelectionAccuracy:P1} (last epoch {trained.Last.ValidationAccuracy:P1}), {trained.Best.ImagesPerSecond:0.0} img/s"));
            runs.Add((rate, trained));
            bool better = chosen.Training is null || IsBetter(trained, chosen.Training);
            if (better)
            {
                chosen.Fit?.Network.Dispose();
                chosen = (rate, Refit ? null : fit, trained);
            }
            if (!better || Refit) fit.Network.Dispose();
            // TorchSharp's freed activations stay in glibc's arenas; handing them back keeps them out of the next rate's peak.
            context.Log($"memory after lr={Invariant(rate)}: {ProcessMemory.Describe(ProcessMemory.ReleaseFreedMemory())}");
        }
        var final = Refit
            ? RefitOnTrainAndValidation(context, validationImages is null ? trainImages : trainImages.Concat(validationImages), chosen.Rate,
                chosen.Training!.BestEpoch, quick, id, folder)
            : chosen.Fit!;
        ProcessMemory.ReleaseFreedMemory(); // before ONNX Runtime allocates for the test split
        var trainTime = clock.Elapsed;

        using var network = final.Network;
        string scoringNetwork = TestTimeAugmentation ? FlipAveragedNetwork(final) : final.OnnxPath;
        var scoringModel = TestTimeAugmentation
            ? ImageClassificationTrainer.ScoringModel(context.MLContext, scoringNetwork, final.Classes, TrainingSize(quick))
            : final.Model;
        // The test split is scored once, by the model.zip users embed (stock ML.NET + ONNX Runtime), which is also several
        // times faster than TorchSharp's eval on CPU; the trainer tests check that both give the same probabilities.
        var probabilities = TestSetScoring.Probabilities(context.MLContext, scoringModel, split.Test, context.Progress);
        var labels = split.Test.Select(i => split.Classes.ToList().IndexOf(i.Label)).ToList();
        string modelPath = Path.Combine(id, "model.zip");
        ImageClassifierModel.Save(context.MLContext, scoringModel, Path.Combine(context.RunFolder, modelPath));
        TrainingCurves.Save(Path.Combine(folder, "curves.png"), $"{Describe()}: one line per learning rate",
            runs.Select(r => (Invariant($"lr={r.Rate:g}"), r.Training.History)).ToList());

        var training = chosen.Training!;
        var result = new MethodResult
        {
            Id = id,
            Method = Name ?? Describe(),
            Backbone = Mode == TrainingMode.Scratch ? $"{Architecture} (random init)" : Backbone,
            Setting = Invariant($"lr={chosen.Rate:g}, best epoch {training.BestEpoch}/{training.History.Count}{WindowNote(training)}, {Schedule}, {Optimizer}, {TrainingSize(quick)} px") +
                      (Refit ? $", refit on {split.TrainAndValidation.Count} images" : "") + (TestTimeAugmentation ? ", flip TTA" : "") +
                      (FreezeBatchNormStatistics ? ", BN on pretrained statistics" : "") +
                      (final.Training.HeadTrainedOnStoredBackboneOutputs ? ", backbone outputs computed once" : ""),
            ValidationAccuracy = training.SelectionAccuracy,
            Test = ClassificationMetrics.Compute(probabilities, labels, split.Classes),
            TestProbabilities = probabilities,
            TestImages = split.Test,
            TrainTime = trainTime,
            ModelPath = modelPath,
            ScoringNetworkPath = Path.GetRelativePath(context.RunFolder, scoringNetwork),
            Grid = grid,
        };
        result.Details.Add($"![training curves]({id}/curves.png)");
        string networkFolder = $"{id}/networks/{Invariant(chosen.Rate)}";
        if (File.Exists(Path.Combine(context.RunFolder, networkFolder, "filters-after.png")))
            result.Details.Add($"First-layer filters before and after training (each filter scaled to [0, 1] on its own):\n\n" +
                               $"| before | after |\n| --- | --- |\n| ![before]({networkFolder}/filters-before.png) | ![after]({networkFolder}/filters-after.png) |");
        int explained = MisclassifiedGradCam.Write(final.OnnxPath, TrainingSize(quick), split.Classes, split.Test, probabilities,
            Path.Combine(folder, "gradcam-misclassified.png"));
        if (explained > 0)
            result.Details.Add($"Grad-CAM (last convolutional block) of the {explained} most confident test mistakes: where the network " +
                               $"saw the class it predicted, and where it saw the true class.\n\n![Grad-CAM of misclassified images]({id}/gradcam-misclassified.png)");
        result.Details.Add(BestAndLast(training));
        result.Extra["best_epoch"] = training.BestEpoch;
        result.Extra["epochs_trained"] = training.History.Count;
        result.Extra["train_images_per_second"] = training.History.Average(h => h.ImagesPerSecond);
        result.Extra["network"] = final.NetworkDescription;
        result.Extra["refit"] = Refit;
        result.Extra["test_time_augmentation"] = TestTimeAugmentation;
        context.Log($"{result.Method}: validation {result.ValidationAccuracy:P1}, test {result.Test.Accuracy:P1} ({result.Setting})");
        return [result];
    }

    // The learning-rate choice: higher selection accuracy, then lower selection loss; the earlier rate wins a tie.
    private static bool IsBetter(TrainingResult candidate, TrainingResult best) =>
        candidate.SelectionAccuracy > best.SelectionAccuracy ||
        (candidate.SelectionAccuracy == best.SelectionAccuracy && candidate.SelectionLoss < best.SelectionLoss);

    // The chosen setting trained again on training + validation images. Without validation data the trainer keeps the last
    // epoch, so the run stops at the epoch selected on validation, with the learning-rate schedule of the selection run (with the
    // schedule squeezed into the selected epochs, pacs-fewshot's full row tested 82.9% after refit against 84.1% without).
    private ImageClassificationFit RefitOnTrainAndValidation(ExperimentContext context, DecodedImageSet trainAndValidation, double rate,
        int bestEpoch, bool quick, string id, string folder)
    {
        var options = TrainingRunOptions(context, rate, quick, id, "refit-" + Invariant(rate), Path.Combine(folder, "networks", "refit"));
        options.StopAfterEpoch = bestEpoch;
        options.EarlyStoppingPatience = null;
        var watch = Stopwatch.StartNew();
        var fit = new ImageClassificationTrainer(context.MLContext, options).Fit(trainAndValidation, null, context.Split.Classes);
        context.Log(Invariant($"{Describe()}: refit lr={rate:g} on {context.Split.TrainAndValidation.Count} images for {bestEpoch} of {options.Epochs} epochs in {watch.Elapsed.TotalSeconds:0} s"));
        return fit;
    }

    // The exported network with flip averaging inside the graph, saved beside it; returns its path.
    private static string FlipAveragedNetwork(ImageClassificationFit fit)
    {
        var graph = MLPipelines.Onnx.OnnxModelFile.Load(fit.OnnxPath);
        var flipped = MLPipelines.Onnx.OnnxGraphEditor.AverageOverHorizontalFlip(graph, ColumnNames.Pixels, ColumnNames.Logits, fit.Classes.Count);
        string path = Path.Combine(Path.GetDirectoryName(fit.OnnxPath)!, "network-flip-tta.onnx");
        MLPipelines.Onnx.OnnxModelFile.Save(flipped, path);
        return path;
    }

    // The trainer options of one training run of this row, with progress, checkpoints and the network folder set.
    // Checkpoints live in the cache, keyed by run settings, so --resume finds them from a new run folder; the checkpoint's
    // own fingerprint (data, settings) guards against continuing a different run.
    private ImageClassificationTrainer.Options TrainingRunOptions(ExperimentContext context, double rate, bool quick, string id, string run, string modelFolder)
    {
        var options = Options(rate, quick);
        options.Progress = context.Progress;
        options.CheckpointFolder = Path.Combine(context.Assets.CacheRoot, "checkpoints", context.Definition.Name, id,
            $"seed{context.Seed}{(quick ? "-quick" : "")}", run);
        if (!context.Options.Resume && Directory.Exists(options.CheckpointFolder))
            Directory.Delete(options.CheckpointFolder, recursive: true);
        options.Resume = true; // without --resume the folder was just emptied, so this starts fresh
        options.ModelFolder = modelFolder;
        return options;
    }

    // A named row gets the start of its name (up to the first colon, at most 24 characters) in its folder name.
    private string NameId()
    {
        if (Name is null) return "";
        string slug = FrozenFeaturesMethod.Slug(Name.Split(':')[0]).Trim('-');
        return "-" + (slug.Length > 24 ? slug[..24].TrimEnd('-') : slug);
    }

    // Preset names are readable folder names; spec text is long and full of punctuation, so it is named by its hash.
    private string AugmentationId() => AugmentationPresets.Names.Contains(Augmentation, StringComparer.OrdinalIgnoreCase)
        ? Augmentation
        : "aug-" + AugmentationSpec.Parse(Augmentation).ShortHash();

    // --quick trains at 64 px unless the augmentation crops to a fixed size (reference-pacs: 200 px from the 224 px image).
    private int TrainingSize(bool quick) =>
        quick && AugmentationSpec.Parse(Augmentation).PreservesSize ? Math.Min(ImageSize, 64) : ImageSize;

    private ImageClassificationTrainer.Options Options(double rate, bool quick) => new()
    {
        Mode = Mode, Architecture = Architecture, ArchitectureSettings = ArchitectureSettings, Backbone = Backbone, CutAt = CutAt,
        ImageSize = TrainingSize(quick), Epochs = quick ? Math.Min(Epochs, Mode == TrainingMode.Gradual ? 2 : 1) : Epochs, BatchSize = BatchSize, Optimizer = Optimizer,
        LearningRate = rate, BackboneLearningRateFactor = BackboneLearningRateFactor, Schedule = Schedule,
        WarmupEpochs = quick ? 0 : WarmupEpochs, WeightDecay = WeightDecay, LabelSmoothing = LabelSmoothing,
        HeadEpochs = quick ? Math.Min(HeadEpochs, 1) : HeadEpochs, AugmentationSpec = Augmentation,
        EarlyStoppingPatience = EarlyStoppingPatience, SelectionWindow = SelectionWindow,
        FreezeBatchNormStatistics = FreezeBatchNormStatistics,
    };

    private string Describe() => Mode switch
    {
        TrainingMode.Scratch => $"scratch {Architecture}",
        TrainingMode.HeadOnly => "head-only through the network",
        TrainingMode.Gradual => "gradual fine-tune",
        _ => "full fine-tune",
    } + (Augmentation == "none" ? "" : $" + {Augmentation} augmentation");

    // The best epoch's score is the mean over the window ending at it: fewer epochs when it is one of the first.
    private static string WindowNote(TrainingResult training) =>
        Math.Min(training.SelectionWindow, training.BestEpoch) is > 1 and var averaged ? $" (mean of {averaged} epochs)" : "";

    private static string BestAndLast(TrainingResult training)
    {
        var rows = new[] { ("best", training.Best), ("last", training.Last) };
        var lines = new List<string>
        {
            "| epoch | | train loss | train accuracy | validation loss | validation accuracy | learning rate | images/s |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        };
        lines.AddRange(rows.Select(r => Invariant(
            $"| {r.Item2.Epoch} | {r.Item1} | {r.Item2.TrainLoss:0.000} | {r.Item2.TrainAccuracy:P1} | {r.Item2.ValidationLoss:0.000} | {r.Item2.ValidationAccuracy:P1} | {r.Item2.LearningRate:0.#####} | {r.Item2.ImagesPerSecond:0.0} |")));
        if (training.StoppedEarly) lines.Add($"\nEarly stopping ended training after epoch {training.Last.Epoch}.");
        return string.Join("\n", lines);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static string Invariant(double value) => value.ToString("g", System.Globalization.CultureInfo.InvariantCulture);
}
