using Microsoft.ML;

namespace MLPipelines.Torch.Training;

/// <summary>The trainer in ML.NET's catalog style: <c>mlContext.MulticlassClassification.Trainers.ImageClassification(options)</c>.</summary>
public static class ImageClassificationCatalogExtensions
{
    /// <summary>
    /// An estimator that trains an image classifier with TorchSharp on text columns image path and label (see
    /// <see cref="ImageClassificationTrainer.Options"/> for every setting and default). ML.NET does not expose a catalog's
    /// context, so the scoring transforms are built in a context seeded with <see cref="ImageClassificationTrainer.Options.Seed"/>.
    /// </summary>
    public static ImageClassificationTrainer ImageClassification(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        ImageClassificationTrainer.Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new ImageClassificationTrainer.Options();
        return new ImageClassificationTrainer(new MLContext(options.Seed), options);
    }
}
