using MLPipelines.Data;
using MLPipelines.Evaluation;
using MLPipelines.Training;

namespace MLPipelines.Pipelines;

/// <summary>One row of the results table: a trained model, how it was chosen and how it scored on the test split.</summary>
public sealed class MethodResult
{
    /// <summary>Folder-safe identifier, unique within the run (the model's subfolder).</summary>
    public required string Id { get; init; }

    /// <summary>Method as shown in the table, e.g. "frozen features + LbfgsMaximumEntropy".</summary>
    public required string Method { get; init; }

    /// <summary>Backbone (catalog name), or "—" for methods without one.</summary>
    public required string Backbone { get; init; }

    /// <summary>Chosen hyperparameters as text.</summary>
    public string Setting { get; init; } = "";

    /// <summary>Validation accuracy of the chosen configuration (the model-selection criterion).</summary>
    public double ValidationAccuracy { get; init; }

    /// <summary>Test metrics of the final model (the test split is evaluated once per final model).</summary>
    public required ClassificationMetrics Test { get; init; }

    /// <summary>Class probabilities of every test image, in <see cref="TestImages"/> order.</summary>
    public required IReadOnlyList<float[]> TestProbabilities { get; init; }

    /// <summary>The test images, in prediction order.</summary>
    public required IReadOnlyList<LabeledImage> TestImages { get; init; }

    /// <summary>Training time (grid search and refit; featurization excluded).</summary>
    public TimeSpan TrainTime { get; init; }

    /// <summary>Featurization throughput in images per second when features were computed in this run; null when cached.</summary>
    public double? FeaturizationImagesPerSecond { get; init; }

    /// <summary>Saved model.zip, relative to the run folder.</summary>
    public string? ModelPath { get; init; }

    /// <summary>
    /// The ONNX network the model.zip scores with (pixels in [0, 1] → logits), relative to the run folder; set by rows that
    /// train a network, so that a later <c>ensemble</c> row can combine them. Null for other rows.
    /// </summary>
    public string? ScoringNetworkPath { get; init; }

    /// <summary>Every grid point evaluated on validation.</summary>
    public IReadOnlyList<GridPoint> Grid { get; init; } = [];

    /// <summary>Extra Markdown for the method's section of the report (plots, notes), with links relative to the run folder.</summary>
    public IList<string> Details { get; } = [];

    /// <summary>Extra named figures for metrics.json (e.g. best epoch, train images per second).</summary>
    public IDictionary<string, object?> Extra { get; } = new Dictionary<string, object?>();
}
