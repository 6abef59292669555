using Microsoft.ML;

namespace MLPipelines.Training;

/// <summary>One point of a hyperparameter grid: a trainer with fixed settings.</summary>
/// <param name="Trainer">Which trainer.</param>
/// <param name="Description">The settings as text, e.g. "L2=0.1".</param>
/// <param name="Create">Makes the estimator, reading the key-typed <c>Label</c> and the <c>Features</c> columns.</param>
public sealed record TrainerSetting(ClassicTrainer Trainer, string Description, Func<MLContext, IEstimator<ITransformer>> Create);
