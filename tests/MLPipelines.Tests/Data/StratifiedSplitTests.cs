using MLPipelines.Data;

namespace MLPipelines.Tests.Data;

/// <summary>Split determinism and stratification, on the real PACS cartoon domain (2344 images, 7 classes).</summary>
public class StratifiedSplitTests
{
    private static readonly Lazy<ImageFolderDataset> Cartoon = new(() =>
        ImageFolderDataset.Load(RepositoryPaths.PacsCartoon, new ImageFolderOptions { VerifyImages = false }));

    [Fact]
    public void Few_shot_split_of_cartoon_has_236_training_and_2108_test_images_stratified_per_class()
    {
        var split = StratifiedSplit.Create(Cartoon.Value, new SplitOptions { TrainFraction = 0.1, ValidationFraction = 0.2, Seed = 42 });

        Assert.Equal(236, split.TrainAndValidation.Count);
        Assert.Equal(2108, split.Test.Count);
        foreach (var (name, train, validation, test) in split.CountsPerClass())
        {
            int total = Cartoon.Value.Images.Count(i => i.Label == name);
            int expectedTraining = (int)Math.Round(0.1 * total, MidpointRounding.AwayFromZero);
            Assert.Equal(expectedTraining, train + validation);
            Assert.Equal(total - expectedTraining, test);
            Assert.Equal((int)Math.Round(0.2 * expectedTraining, MidpointRounding.AwayFromZero), validation);
        }
        var all = split.Train.Concat(split.Validation).Concat(split.Test).Select(i => i.Path).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(Cartoon.Value.Images.Count, all.Count);
    }

    [Fact]
    public void Same_seed_gives_the_same_split_and_another_seed_a_different_one()
    {
        var options = new SplitOptions { Seed = 42 };
        var first = StratifiedSplit.Create(Cartoon.Value, options);
        var again = StratifiedSplit.Create(Cartoon.Value, options);
        var other = StratifiedSplit.Create(Cartoon.Value, new SplitOptions { Seed = 7 });

        Assert.Equal(first.Train.Select(i => i.Path), again.Train.Select(i => i.Path));
        Assert.Equal(first.Validation.Select(i => i.Path), again.Validation.Select(i => i.Path));
        Assert.Equal(first.Test.Select(i => i.Path), again.Test.Select(i => i.Path));
        Assert.NotEqual(first.Train.Select(i => i.Path), other.Train.Select(i => i.Path));
        Assert.Equal(first.Train.Count, other.Train.Count);
    }

    [Fact]
    public void Split_does_not_depend_on_the_order_files_are_listed_in()
    {
        var images = Cartoon.Value.Images;
        var shuffled = images.OrderBy(i => i.Path.GetHashCode()).ToList();
        var a = StratifiedSplit.Create(images, Cartoon.Value.Classes, new SplitOptions());
        var b = StratifiedSplit.Create(shuffled, Cartoon.Value.Classes, new SplitOptions());
        Assert.Equal(a.Test.Select(i => i.Path), b.Test.Select(i => i.Path));
    }

    [Fact]
    public void Test_fraction_gives_exactly_the_reverse_of_the_same_train_fraction()
    {
        var fewShot = StratifiedSplit.Create(Cartoon.Value, new SplitOptions { TrainFraction = 0.1 });
        var full = StratifiedSplit.Create(Cartoon.Value, new SplitOptions { TestFraction = 0.1 });

        Assert.Equal(2108, full.TrainAndValidation.Count);
        Assert.Equal(236, full.Test.Count);
        Assert.Equal(fewShot.TrainAndValidation.Select(i => i.Path).Order(), full.Test.Select(i => i.Path).Order());
    }

    [Fact]
    public void Adding_a_class_leaves_the_split_of_the_other_classes_unchanged()
    {
        var images = Cartoon.Value.Images;
        var withoutGuitar = images.Where(i => i.Label != "guitar").ToList();
        var full = StratifiedSplit.Create(images, Cartoon.Value.Classes, new SplitOptions());
        var reduced = StratifiedSplit.Create(withoutGuitar, Cartoon.Value.Classes.Where(c => c != "guitar").ToList(), new SplitOptions());
        Assert.Equal(full.Test.Where(i => i.Label != "guitar").Select(i => i.Path), reduced.Test.Select(i => i.Path));
    }

    [Theory]
    [InlineData(389, 0.1, 39)]
    [InlineData(135, 0.1, 14)]   // 13.5 rounds half away from zero
    [InlineData(405, 0.1, 41)]   // 40.5 likewise
    [InlineData(2, 0.1, 1)]      // never an empty side
    [InlineData(2, 0.9, 1)]
    [InlineData(1, 0.1, 0)]
    public void Class_counts_round_half_away_from_zero_and_keep_both_sides(int size, double fraction, int expected) =>
        Assert.Equal(expected, StratifiedSplit.CountFor(size, fraction));

    [Fact]
    public void Split_files_list_every_image_with_its_label()
    {
        using var folder = new TemporaryFolder("split");
        var split = StratifiedSplit.Create(Cartoon.Value, new SplitOptions());
        split.WriteCsv(folder.Path, Cartoon.Value.Root);

        var train = File.ReadAllLines(Path.Combine(folder.Path, "split-train.csv"));
        var test = File.ReadAllLines(Path.Combine(folder.Path, "split-test.csv"));
        Assert.Equal("path,label", train[0]);
        Assert.Equal(split.Train.Count + 1, train.Length);
        Assert.Equal(split.Test.Count + 1, test.Length);
        var (path, label) = (train[1].Split(',')[0], train[1].Split(',')[1]);
        Assert.True(File.Exists(Path.Combine(Cartoon.Value.Root, path)));
        Assert.Equal(label, path.Split('/')[0]);
    }
}
