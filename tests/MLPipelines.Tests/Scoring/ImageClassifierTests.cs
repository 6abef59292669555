using MLPipelines.Catalog;
using MLPipelines.Scoring;
using MLPipelines.Tests.Training;

namespace MLPipelines.Tests.Scoring;

/// <summary>ImageNet scoring with catalog classifiers on real photos, through the stock ML.NET pipeline.</summary>
public class ImageClassifierTests
{
    // ImageNet-1k class index ranges (torchvision order = sorted wnids = imagenet-synsets.txt line order).
    private static readonly (int First, int Last) DogBreeds = (151, 268);
    private static readonly (int First, int Last) DomesticCats = (281, 285);
    private static readonly int[] Fish = [0, 1, 2, 3, 4, 5, 6, 389, 390, 391, 392, 393, 394, 395, 396, 397];
    private const int Sorrel = 339;

    private static ImageClassifier Classifier(string name)
    {
        var assets = new AssetLocator(TestCache.Assets);
        var card = ModelCatalog.BuiltIn.Get(name);
        return ImageClassifier.Create(card, assets.LocateModel(card), assets.LocateFile(AssetKind.Models, ModelCatalog.BuiltIn.LabelFile("imagenet-synsets.txt")), TestCache.Root);
    }

    private static string Image(string name) => RepositoryPaths.SharedPath("images", name);

    [Theory]
    [InlineData("mobilenetv2-7-classifier")]
    [InlineData("squeezenet1.1-7")]
    public void Kitten_is_a_cat_fish_is_a_fish_and_the_rider_is_on_a_horse(string model)
    {
        var run = Classifier(model).Classify([Image("kitten_224.png"), Image("fish.png"), Image("000017.jpg")], k: 5);

        var kitten = run.Predictions[0].Best;
        Assert.InRange(kitten.Index, DomesticCats.First, DomesticCats.Last);
        Assert.Contains(run.Predictions[1].Best.Index, Fish);
        Assert.Equal(Sorrel, run.Predictions[2].Best.Index);
        Assert.Equal("sorrel", run.Predictions[2].Best.Name);
        Assert.All(run.Predictions, p => Assert.Equal(5, p.Top.Count));
        Assert.All(run.Probabilities, p => Assert.Equal(1.0, p.Sum(), 4));
    }

    [Theory]
    [InlineData("mobilenetv2-7-classifier")]
    [InlineData("squeezenet1.1-7")]
    public void Pacs_photos_of_dogs_are_classified_as_dog_breeds(string model)
    {
        var dogs = Directory.GetFiles(RepositoryPaths.SharedPath("datasets", "pacs", "photo", "dog")).Order(StringComparer.Ordinal).Take(10).ToList();
        var run = Classifier(model).Classify(dogs);
        int breeds = run.Predictions.Count(p => p.Best.Index >= DogBreeds.First && p.Best.Index <= DogBreeds.Last);
        // Dingo (273) and wolves are dogs but not breeds; SqueezeNet 1.1 (58% ImageNet top-1) names 8 of these 10, MobileNetV2 more.
        Assert.True(breeds >= 8, $"{breeds} of 10 dog photos got a dog breed as top-1: " + string.Join(", ", run.Predictions.Select(p => p.Best.Name)));
    }

    [Fact]
    public void The_1001_class_model_shifts_names_by_its_background_class()
    {
        var classifier = Classifier("squeezenet1.0-tflite");
        Assert.Equal(1001, classifier.Classes.Count);
        Assert.Equal("background", classifier.Classes[0]);
        Assert.Equal("tench", classifier.Classes[1]);
        Assert.Equal("tabby", classifier.Classes[282]);

        var kitten = classifier.Classify([Image("kitten_224.png")]).Predictions[0].Best;
        Assert.InRange(kitten.Index, DomesticCats.First + 1, DomesticCats.Last + 1);
        Assert.Equal(kitten.Name, Classifier("mobilenetv2-7-classifier").Classes[kitten.Index - 1]);
    }

    [Fact]
    public void Int8_model_agrees_with_fp32_on_the_sample_photos()
    {
        var images = Directory.GetFiles(RepositoryPaths.SharedPath("images")).Order(StringComparer.Ordinal).ToList();
        var fp32 = Classifier("mobilenetv2-7-classifier").Classify(images);
        var int8 = Classifier("mobilenetv2-12-int8").Classify(images);
        Assert.True(fp32.Top1Agreement(int8) >= 0.75, $"top-1 agreement {fp32.Top1Agreement(int8):P0}");
    }

    [Fact]
    public void Classifier_model_zip_predicts_class_names_in_a_stock_ml_net_app()
    {
        var classifier = Classifier("squeezenet1.1-7");
        using var folder = new TemporaryFolder("classifier-zip");
        string zip = Path.Combine(folder.Path, "model.zip");
        classifier.Save(zip);
        var images = new[] { Image("kitten_224.png"), Image("000017.jpg") };

        var expected = classifier.Classify(images);
        var actual = StockConsumer.Predict(zip, images);
        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal(expected.Predictions[i].Best.Name, actual[i].PredictedLabel);
            Assert.Equal(expected.Probabilities[i], actual[i].Score);
        }
    }
}
