using MLPipelines.Catalog;
using MLPipelines.Scoring;
using MLPipelines.Torch.Interpretability;

namespace MLPipelines.Tests.Torch.Interpretability;

/// <summary>Catalog classifiers loaded both ways: the stock ML.NET pipeline and the differentiable TorchSharp network.</summary>
internal static class InterpretabilityModels
{
    public static ImageClassifier Stock(string name)
    {
        var assets = new AssetLocator(TestCache.Assets);
        var card = ModelCatalog.BuiltIn.Get(name);
        return ImageClassifier.Create(card, assets.LocateModel(card),
            assets.LocateFile(AssetKind.Models, ModelCatalog.BuiltIn.LabelFile("imagenet-synsets.txt")), TestCache.Root);
    }

    public static DifferentiableClassifier Differentiable(ImageClassifier stock) =>
        DifferentiableClassifier.Load(stock.Card, new AssetLocator(TestCache.Assets).LocateModel(stock.Card), stock.Classes);

    public static string Image(string name) => RepositoryPaths.SharedPath("images", name);
}
