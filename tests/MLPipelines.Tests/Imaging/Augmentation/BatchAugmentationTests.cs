using MLPipelines.Imaging;
using MLPipelines.Imaging.Augmentation;

namespace MLPipelines.Tests.Imaging.Augmentation;

/// <summary>Mixup, cutmix and collage: soft targets sum to 1 and match the pixels actually mixed; collage never self-pairs.</summary>
public class BatchAugmentationTests
{
    // Image i is the constant (i + 1) / 16 in every channel, label i: the pixels reveal which image they came from.
    private static (List<ImageTensor> Images, int[] Labels) Batch(int count, int size = 12) =>
        ([.. Enumerable.Range(0, count).Select(i => KnownImages.Constant(size, size, (i + 1) / 16f, (i + 1) / 16f, (i + 1) / 16f))],
         [.. Enumerable.Range(0, count)]);

    private static void AssertRowsSumToOne(SoftTargetBatch batch)
    {
        for (int i = 0; i < batch.Images.Count; i++)
            Assert.Equal(1.0, batch.Targets.Skip(i * batch.ClassCount).Take(batch.ClassCount).Sum(), 5);
    }

    [Fact]
    public void Mixup_pixels_and_targets_use_the_same_lambda_with_the_previous_image()
    {
        var (images, labels) = Batch(5);
        for (int seed = 0; seed < 20; seed++)
        {
            var batch = new Mixup(0.4).Apply(images, labels, 5, new Random(seed));
            AssertRowsSumToOne(batch);
            for (int i = 0; i < 5; i++)
            {
                int previous = (i + 4) % 5;
                float lambda = batch.Targets[i * 5 + i];
                Assert.Equal(1 - lambda, batch.Targets[i * 5 + previous], 5);
                Assert.Equal(lambda * (i + 1) / 16f + (1 - lambda) * (previous + 1) / 16f, batch.Images[i][1, 3, 3], 5);
            }
        }
        var unmixed = new Mixup(0.4, probability: 0).Apply(images, labels, 5, new Random(1));
        Assert.Equal(1f, unmixed.Targets[2 * 5 + 2]);
    }

    [Fact]
    public void Cutmix_label_weight_is_the_fraction_of_pixels_not_pasted()
    {
        var (images, labels) = Batch(4, size: 20);
        for (int seed = 0; seed < 40; seed++)
        {
            var batch = new CutMix(1.0).Apply(images, labels, 4, new Random(seed));
            AssertRowsSumToOne(batch);
            for (int i = 0; i < 4; i++)
            {
                float own = (i + 1) / 16f;
                double ownFraction = batch.Images[i].Data.Count(v => v == own) / (double)batch.Images[i].Data.Length;
                Assert.Equal(ownFraction, batch.Targets[i * 4 + i], 5);
            }
        }
    }

    [Fact]
    public void Collage_never_pairs_an_image_with_itself_and_weights_targets_by_area()
    {
        for (int count = 2; count <= 9; count++)
        {
            var (images, labels) = Batch(count, size: 16);
            for (int seed = 0; seed < 40; seed++)
            {
                var batch = new Collage().Apply(images, labels, count, new Random(seed * 31 + count));
                AssertRowsSumToOne(batch);
                for (int i = 0; i < count; i++)
                {
                    var row = batch.Targets.AsSpan(i * count, count).ToArray();
                    int partner = Enumerable.Range(0, count).Single(k => k != i && row[k] > 0);
                    Assert.True(row[i] is > 0 and < 1, $"image {i} must keep part of itself and show a partner, weight {row[i]}");
                    // Resizing constant tiles keeps each tile constant: count the pixels of each source value.
                    float own = (i + 1) / 16f, other = (partner + 1) / 16f;
                    var values = batch.Images[i].Data;
                    Assert.All(values, v => Assert.True(Math.Abs(v - own) < 1e-5 || Math.Abs(v - other) < 1e-5));
                    double ownFraction = values.Count(v => Math.Abs(v - own) < 1e-5) / (double)values.Length;
                    Assert.Equal(ownFraction, row[i], 5);
                }
            }
        }
    }

    [Fact]
    public void Collage_layouts_put_whole_resized_images_in_each_tile()
    {
        var left = KnownImages.Ramp(8, 8);
        var right = KnownImages.Constant(8, 8, 1, 0, 0);
        var (collage, share) = Collage.Compose(left, right, Collage.Layout.VerticalSplit, 4, 0, imageFirst: true);
        Assert.Equal(0.5, share);
        KnownImages.AssertEqual(AntialiasedResampler.Resize(left, new ImageSize(4, 8)),
            KnownImages.From(4, 8, (c, x, y) => collage[c, y, x]), 1e-6f);
        Assert.Equal(1f, collage[0, 5, 6]);
        var (_, quadrantShare) = Collage.Compose(left, right, Collage.Layout.Quadrants, 2, 6, imageFirst: false);
        Assert.Equal(1 - (2 * 6 + 6 * 2) / 64.0, quadrantShare);
    }

    [Fact]
    public void Batch_operations_reject_mixed_sizes_with_a_clear_message()
    {
        ImageTensor[] images = [new(4, 4), new(5, 4)];
        var error = Assert.Throws<ArgumentException>(() => new Mixup().Apply(images, [0, 1], 2, new Random(0)));
        Assert.Equal("mixup: image 1 is 5×4, image 0 is 4×4; a batch needs one size", error.Message);
    }

    [Theory]
    [InlineData(0.2, 0.2)]
    [InlineData(1.0, 1.0)]
    [InlineData(2.0, 5.0)]
    public void Beta_sampler_has_the_beta_mean_and_variance(double a, double b)
    {
        var random = new Random(11);
        var draws = Enumerable.Range(0, 40000).Select(_ => BetaSampler.Beta(random, a, b)).ToArray();
        double mean = draws.Average(), variance = draws.Select(x => (x - mean) * (x - mean)).Average();
        double expectedMean = a / (a + b), expectedVariance = a * b / ((a + b) * (a + b) * (a + b + 1));
        Assert.All(draws, x => Assert.InRange(x, 0, 1));
        Assert.InRange(mean, expectedMean - 0.01, expectedMean + 0.01);
        Assert.InRange(variance, expectedVariance * 0.95, expectedVariance * 1.05);
    }

    [Fact]
    public void Gamma_sampler_has_mean_and_variance_equal_to_the_shape()
    {
        var random = new Random(3);
        foreach (double shape in new[] { 0.5, 3.0 })
        {
            var draws = Enumerable.Range(0, 40000).Select(_ => BetaSampler.Gamma(random, shape)).ToArray();
            double mean = draws.Average(), variance = draws.Select(x => (x - mean) * (x - mean)).Average();
            Assert.InRange(mean, shape * 0.97, shape * 1.03);
            Assert.InRange(variance, shape * 0.93, shape * 1.07);
        }
    }
}
