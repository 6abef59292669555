using MLPipelines.Catalog;
using MLPipelines.Data;
using MLPipelines.Evaluation;
using MLPipelines.Features;
using MLPipelines.Imaging.Augmentation;
using MLPipelines.Onnx;
using MLPipelines.Training;

namespace MLPipelines.Pipelines.Methods;

/// <summary>
/// Transfer learning with a frozen backbone (<c>kind: frozen-features</c>): an ONNX featurizer computes features once (cached),
/// then every listed ML.NET trainer is tuned on validation and refitted; one row per trainer. Optionally K augmented copies of
/// each training image are featurized too, and a test-time-augmentation row averages the features of each test image and its
/// mirror image (inside the ONNX graph, so the TTA model.zip is stock ML.NET as well).
/// </summary>
public sealed class FrozenFeaturesMethod : MethodDefinition
{
    /// <summary>Catalog model or .onnx path whose features output is used. Default: <c>mobilenetv2-1.0-bn-features</c>.</summary>
    public string Backbone { get; set; } = "mobilenetv2-1.0-bn-features";

    /// <summary>Trainers compared side by side. Default: all five.</summary>
    public List<ClassicTrainer> Trainers { get; set; } = [.. Enum.GetValues<ClassicTrainer>()];

    /// <summary>Augmented copies of each training image added to the training features (0 = none). Default 0.</summary>
    public int AugmentedCopies { get; set; }

    /// <summary>
    /// Augmentation of the copies: a preset name or spec text (see docs/augmentation.md). It must keep the image size and
    /// have no batch operations, because frozen features are computed per image at the model size. Default <c>light</c>
    /// (flip, small affine, resized crop, colour jitter).
    /// </summary>
    public string Augmentation { get; set; } = "light";

    /// <summary>Adds a row for the best trainer with flip test-time augmentation. Default false.</summary>
    public bool TestTimeAugmentation { get; set; }

    public override void Validate(string origin)
    {
        if (Trainers.Count == 0) throw new PipelineException($"{origin}: frozen-features needs at least one trainer");
        if (AugmentedCopies < 0) throw new PipelineException($"{origin}: augmented-copies must be 0 or more");
        if (AugmentedCopies > 0) CopyAugmentation(origin);
    }

    /// <summary>The parsed <see cref="Augmentation"/>; a one-line error when it is invalid, resizes, or mixes batches.</summary>
    private AugmentationSpec CopyAugmentation(string origin)
    {
        AugmentationSpec spec;
        try
        {
            spec = AugmentationSpec.Parse(Augmentation);
        }
        catch (FormatException e)
        {
            throw new PipelineException($"{origin}: augmentation: {e.Message}");
        }
        if (spec.Batch is not null)
            throw new PipelineException($"{origin}: augmentation '{Augmentation}' has batch operations ({spec.Batch.Describe()}); " +
                "frozen-features copies are single images, so mixup, cutmix and collage do not apply");
        if (!spec.PreservesSize)
            throw new PipelineException($"{origin}: augmentation '{Augmentation}' changes the image size; frozen features are " +
                "computed at the model size, so use size-keeping operations (e.g. resized-crop without size instead of crop)");
        return spec;
    }

    /// <summary>Its fits go through the run's fit scheduler, so it can share the cores with the other classic-trainer methods.</summary>
    public override bool RunsAlongsideOthers => true;

    public override IReadOnlyList<MethodResult> Run(ExperimentContext context)
    {
        string backboneName = context.Options.Backbone ?? Backbone;
        var (card, modelPath) = context.ResolveModel(backboneName);
        var featurizer = FeaturizerModel.ForBackbone(card, modelPath, context.Assets.CacheRoot);
        var split = context.Split;

        var (train, trainExtraction) = context.Features(featurizer, "train", split.Train);
        var (validation, validationExtraction) = context.Features(featurizer, "validation", split.Validation);
        var (test, testExtraction) = context.Features(featurizer, "test", split.Test);
        string augmentationNote = "";
        if (AugmentedCopies > 0)
        {
            var spec = CopyAugmentation(Name ?? "frozen-features");
            var augmentation = spec.PerSample;
            // The hash of the full settings, not the preset name, so the cached copies go stale when a preset changes.
            string variant = $"aug-{spec.ShortHash()}-s{context.Seed}";
            FeatureRequest Copy(LabeledImage image, int copy)
            {
                string key = FeatureCache.ImageKey(image.Path);
                return new FeatureRequest(image.Path, $"{variant}-{copy}",
                    pixels => augmentation.Apply(pixels, AugmentationPipeline.SeededFor(context.Seed, key, copy)));
            }
            train = train.Concat(context.Features(featurizer, "train", split.Train, Copy, AugmentedCopies, variant).Set);
            validation = validation.Concat(context.Features(featurizer, "validation", split.Validation, Copy, AugmentedCopies, variant).Set);
            augmentationNote = $" + {AugmentedCopies} augmented copies ({Augmentation})";
        }
        double? throughput = Throughput(trainExtraction, validationExtraction, testExtraction);

        var trainer = new FeatureClassifierTrainer(context.MLContext) { Scheduler = context.FitScheduler };
        var results = trainer.FitAll(train, validation, Trainers, (i, fit) => (Result: ClassicTrainerRow.Create(context,
            Slug($"frozen-{card.Name}-{Trainers[i]}{(AugmentedCopies > 0 ? $"-aug{AugmentedCopies}" : "")}"),
            Name ?? $"frozen features + {ClassicTrainerGrid.DisplayName(Trainers[i])}{augmentationNote}", card.Name, fit, test, featurizer, throughput),
            Fit: fit), context.Options.Quick, context.Seed, context.Progress).ToList();
        if (TestTimeAugmentation)
            results.Add((TtaRow(context, card, modelPath, train, results), results[0].Fit));
        return results.Select(r => r.Result).ToList();
    }

    private MethodResult TtaRow(ExperimentContext context, ModelCard card, string modelPath, FeatureSet train,
        List<(MethodResult Result, FittedFeatureClassifier Fit)> rows)
    {
        var best = rows.OrderByDescending(r => r.Result.ValidationAccuracy).First();
        var ttaFeaturizer = FeaturizerModel.ForBackbone(card, modelPath, context.Assets.CacheRoot, averageOverFlip: true);
        var (validation, _) = context.Features(ttaFeaturizer, "validation", context.Split.Validation);
        var (test, extraction) = context.Features(ttaFeaturizer, "test", context.Split.Test);
        // Validation accuracy with TTA features, measured like every other row: the chosen setting fitted on the training set only.
        var trainer = new FeatureClassifierTrainer(context.MLContext) { Scheduler = context.FitScheduler };
        var trainOnly = trainer.FitOne(train, best.Fit.Chosen, context.Seed);
        var validationMetrics = ClassificationMetrics.Compute(trainer.PredictProbabilities(trainOnly, validation), validation.LabelIndices(), validation.Classes);
        var probabilities = best.Fit.PredictProbabilities(test);
        string id = best.Result.Id + "-tta";
        return new MethodResult
        {
            Id = id,
            Method = $"{best.Result.Method} + flip TTA",
            Backbone = card.Name,
            Setting = best.Result.Setting,
            ValidationAccuracy = validationMetrics.Accuracy,
            Test = ClassificationMetrics.Compute(probabilities, test.LabelIndices(), test.Classes),
            TestProbabilities = probabilities,
            TestImages = context.Split.Test,
            TrainTime = best.Result.TrainTime,
            FeaturizationImagesPerSecond = extraction.ImagesPerSecond,
            ModelPath = context.SaveImageModel(ttaFeaturizer, best.Fit.Model, id),
        };
    }

    private static double? Throughput(params FeatureExtractionResult[] extractions)
    {
        int computed = extractions.Sum(e => e.Computed);
        double seconds = extractions.Sum(e => e.ComputeTime.TotalSeconds);
        return computed > 0 ? computed / seconds : null;
    }

    /// <summary>A lower-case, folder-safe form of <paramref name="text"/>.</summary>
    public static string Slug(string text) =>
        new string(text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' ? c : '-').ToArray());
}
