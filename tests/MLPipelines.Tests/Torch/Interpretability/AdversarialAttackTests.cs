using MLPipelines.Evaluation;
using MLPipelines.Reports;
using MLPipelines.Torch.Interpretability;
using static MLPipelines.Tests.Torch.Interpretability.InterpretabilityModels;

namespace MLPipelines.Tests.Torch.Interpretability;

/// <summary>FGSM and PGD through the TorchSharp bridge: budgets hold, targets are reached, and the attack survives a PNG round trip.</summary>
public class AdversarialAttackTests
{
    private const int TrailerTruck = 867;

    [Fact]
    public void Targeted_PGD_at_8_over_255_turns_most_photos_into_a_truck_within_the_budget()
    {
        using var classifier = Differentiable(Stock("squeezenet1.1-7"));
        var options = new AdversarialOptions { Method = AttackMethod.Pgd, Epsilon = 8, Steps = 10, TargetClass = TrailerTruck };
        string[] images = ["kitten_224.png", "fish.png", "000017.jpg"];
        int reached = 0;
        foreach (var name in images)
        {
            using var pixels = classifier.LoadPixels(Image(name));
            var example = AdversarialAttack.Run(classifier, pixels, options);
            Assert.NotEqual(TrailerTruck, example.OriginalClass);
            if (example.AdversarialClass == TrailerTruck) reached++;
            Assert.Equal(example.AdversarialClass == TrailerTruck, example.Success);
            // The budget, recomputed from the images themselves (whole 8-bit values).
            double linf = example.Adversarial.Data.Zip(example.Original.Data, (a, o) => Math.Abs(a - o) * 255).Max();
            Assert.True(linf <= 8 + 1e-3, $"{name}: L∞ {linf} exceeds ε = 8");
            Assert.Equal(linf, example.LInf, 3);
            Assert.True(linf > 0);
            Assert.All(example.Adversarial.Data, v => Assert.InRange(v, 0f, 1f));
        }
        Assert.True(reached >= 2, $"targeted PGD reached 'trailer truck' on {reached} of {images.Length} images");
    }

    [Fact]
    public void FGSM_moves_every_pixel_by_exactly_epsilon_unless_clipped_at_0_or_255()
    {
        using var classifier = Differentiable(Stock("squeezenet1.1-7"));
        using var pixels = classifier.LoadPixels(Image("kitten_224.png"));
        var example = AdversarialAttack.Run(classifier, pixels, new AdversarialOptions { Method = AttackMethod.Fgsm, Epsilon = 4 });
        int exact = 0, clipped = 0, unchanged = 0;
        for (int i = 0; i < example.Original.Data.Length; i++)
        {
            float original = MathF.Round(example.Original.Data[i] * 255), adversarial = MathF.Round(example.Adversarial.Data[i] * 255);
            float change = Math.Abs(adversarial - original);
            if (change == 4) exact++;
            else if (change == 0) unchanged++;  // a zero gradient (pixels outside the centre crop) or already at 0/255
            else if (adversarial is 0 or 255) clipped++;
            else Assert.Fail($"value {i} moved by {change}");
        }
        // Pixels outside the model's centre crop (256 → 224) get no gradient; nearly all inside it move.
        int insideCrop = 3 * 224 * 224;
        Assert.True(exact > 0.5 * insideCrop, $"only {exact} values moved by ε ({clipped} clipped, {unchanged} unchanged) of {insideCrop} in the crop");
        Assert.True(unchanged >= example.Original.Data.Length - insideCrop);
    }

    [Fact]
    public void The_adversarial_PNG_keeps_the_fooled_prediction_in_the_stock_MLNet_classifier()
    {
        var stock = Stock("squeezenet1.1-7");
        using var classifier = Differentiable(stock);
        using var folder = new TemporaryFolder();
        var study = new AdversarialStudy(classifier, stock);
        var result = study.Run([Image("kitten_224.png")], [2, 4], new AdversarialOptions { Method = AttackMethod.Fgsm }, folder.Path);

        Assert.Equal(2, result.Checks.Count);
        foreach (var check in result.Checks.Where(c => c.Row.Example.Success))
        {
            var rescored = stock.Classify([check.PngPath], 1).Predictions[0].Best;
            Assert.Equal(check.Row.Example.AdversarialClass, rescored.Index);
            Assert.True(check.StockAgrees);
        }
        Assert.Contains(result.Checks, c => c.Row.Example.Success);
        string report = study.WriteReport(result, folder.Path);
        string text = File.ReadAllText(report);
        Assert.Contains("Success rate against ε", text);
        Assert.True(File.Exists(Path.Combine(folder.Path, "success-rate.png")));
        Assert.Contains("kitten_224-eps2.png", text);
    }

    [Fact]
    public void Bad_budgets_and_targets_give_clear_errors()
    {
        using var classifier = Differentiable(Stock("squeezenet1.1-7"));
        using var pixels = classifier.LoadPixels(Image("kitten_224.png"));
        Assert.Contains("epsilon", Assert.Throws<ArgumentException>(() => AdversarialAttack.Run(classifier, pixels, new AdversarialOptions { Epsilon = 0 })).Message);
        Assert.Contains("below one pixel", Assert.Throws<ArgumentException>(() => AdversarialAttack.Run(classifier, pixels, new AdversarialOptions { Epsilon = 0.5f })).Message);
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => AdversarialAttack.Run(classifier, pixels, new AdversarialOptions { TargetClass = 5000 })).Message);
    }
}
