using MLPipelines.Onnx;
using MLPipelines.Training;

namespace MLPipelines.Pipelines.Methods;

/// <summary>
/// The from-scratch lower bound (<c>kind: pixel-baseline</c>): no pretrained features, a linear model on the raw pixels of a
/// small resize, normalized per channel with statistics computed on the training split. The normalization runs in a tiny ONNX
/// graph, so the model.zip is stock ML.NET.
/// </summary>
public sealed class PixelBaselineMethod : MethodDefinition
{
    /// <summary>Side of the square resize. Default 32 (3,072 features).</summary>
    public int Size { get; set; } = 32;

    /// <summary>Trainers to compare. Default: LbfgsMaximumEntropy.</summary>
    public List<ClassicTrainer> Trainers { get; set; } = [ClassicTrainer.LbfgsMaximumEntropy];

    public override void Validate(string origin)
    {
        if (Size is < 4 or > 256) throw new PipelineException($"{origin}: pixel-baseline size must be between 4 and 256, got {Size}");
        if (Trainers.Count == 0) throw new PipelineException($"{origin}: pixel-baseline needs at least one trainer");
    }

    /// <summary>Its fits go through the run's fit scheduler, so it can share the cores with the other classic-trainer methods.</summary>
    public override bool RunsAlongsideOthers => true;

    public override IReadOnlyList<MethodResult> Run(ExperimentContext context)
    {
        var statistics = context.TrainingStatistics(Size, Size);
        var preprocessing = new Catalog.PreprocessingSpec { Size = [Size, Size], Mean = statistics.Mean, Std = statistics.Std };
        var featurizer = FeaturizerModel.ForNormalizedPixels(preprocessing, context.Assets.CacheRoot);
        var (train, e1) = context.Features(featurizer, "train", context.Split.Train);
        var (validation, e2) = context.Features(featurizer, "validation", context.Split.Validation);
        var (test, e3) = context.Features(featurizer, "test", context.Split.Test);
        int computed = e1.Computed + e2.Computed + e3.Computed;
        double? throughput = computed > 0 ? computed / (e1.ComputeTime + e2.ComputeTime + e3.ComputeTime).TotalSeconds : null;

        var trainer = new FeatureClassifierTrainer(context.MLContext) { Scheduler = context.FitScheduler };
        return trainer.FitAll(train, validation, Trainers, (i, fit) => ClassicTrainerRow.Create(context,
            FrozenFeaturesMethod.Slug($"pixels-{Size}-{Trainers[i]}"),
            Name ?? $"from scratch: {ClassicTrainerGrid.DisplayName(Trainers[i])} on {Size}×{Size} pixels", "—", fit, test, featurizer, throughput),
            context.Options.Quick, context.Seed, context.Progress);
    }
}
