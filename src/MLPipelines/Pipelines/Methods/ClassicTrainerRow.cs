using MLPipelines.Evaluation;
using MLPipelines.Features;
using MLPipelines.Onnx;
using MLPipelines.Training;

namespace MLPipelines.Pipelines.Methods;

/// <summary>
/// The results-table row of one ML.NET trainer fitted on features (pixel baseline, frozen features): scores the refitted
/// classifier once on the test features, saves featurizer + classifier as the row's model.zip and logs the line. It runs on
/// the fit scheduler right after the trainer's refit, so it overlaps with the other trainers' fits.
/// </summary>
internal static class ClassicTrainerRow
{
    /// <summary>Builds the row of <paramref name="fit"/>; <paramref name="id"/> is its folder name, <paramref name="method"/> its table text.</summary>
    public static MethodResult Create(ExperimentContext context, string id, string method, string backbone, FittedFeatureClassifier fit,
        FeatureSet test, FeaturizerModel featurizer, double? featurizationImagesPerSecond)
    {
        var probabilities = fit.PredictProbabilities(test);
        var result = new MethodResult
        {
            Id = id,
            Method = method,
            Backbone = backbone,
            Setting = fit.Chosen.Description,
            ValidationAccuracy = fit.ValidationAccuracy,
            Test = ClassificationMetrics.Compute(probabilities, test.LabelIndices(), test.Classes),
            TestProbabilities = probabilities,
            TestImages = context.Split.Test,
            TrainTime = fit.TrainTime,
            FeaturizationImagesPerSecond = featurizationImagesPerSecond,
            Grid = fit.Grid,
            ModelPath = context.SaveImageModel(featurizer, fit.Model, id),
        };
        context.Log($"{result.Method}: validation {result.ValidationAccuracy:P1}, test {result.Test.Accuracy:P1} ({fit.Chosen.Description})");
        return result;
    }
}
