using MLPipelines.Imaging;
using MLPipelines.Imaging.Augmentation;
using MLPipelines.Pipelines;
using MLPipelines.Pipelines.Methods;

namespace MLPipelines.Tests.Imaging.Augmentation;

/// <summary>The spec language, presets and determinism.</summary>
public class AugmentationSpecTests
{
    [Fact]
    public void A_list_builds_per_sample_steps_in_order_and_a_batch_operation()
    {
        var spec = AugmentationSpec.Parse("hflip(p=0.5), rotate(degrees=10), crop(size=200), sharpness(factor=2,p=0.1), grayscale(p=0.1), mixup(alpha=0.2)");
        Assert.Equal([typeof(RandomHorizontalFlip), typeof(RandomRotation), typeof(RandomCrop), typeof(RandomAdjustSharpness), typeof(RandomGrayscale)],
            spec.PerSample.Steps.Select(s => s.GetType()));
        Assert.Equal(0.2, Assert.IsType<Mixup>(spec.Batch).Alpha);
        Assert.Equal(new ImageSize(200, 200), spec.OutputSize);
        Assert.Equal(new RandomRotation(ValueRange.Symmetric(10)).Degrees, ((RandomRotation)spec.PerSample.Steps[1]).Degrees);
        Assert.Equal("hflip(p=0.5), rotate(degrees=[-10, 10], interpolation=nearest, fill=0), crop(size=200), sharpness(factor=2, p=0.1), " +
                     "grayscale(p=0.1), mixup(alpha=0.2, p=1)", spec.Describe());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("light")]
    [InlineData("reference-pacs")]
    [InlineData("strong")]
    [InlineData("cifar")]
    [InlineData("affine(degrees=[-5, 15], translate=[0.1, 0.2], scale=[0.9, 1.1], shear=[-5, 5, -2, 2], interpolation=bilinear, fill=0.5)")]
    [InlineData("vflip(p=0.3), perspective, blur(kernel=5), erasing(value=[0.5, 0.4, 0.3]), resize(size=[100, 120]), center-crop(size=[90, 100])")]
    [InlineData("crop(size=[30, 28], padding=[1, 2], padding-mode=reflect), jitter(brightness=[0.5, 1.5], hue=0.1), cutmix, collage(p=0.5)")]
    public void Describe_reads_back_to_the_same_spec(string text)
    {
        string described = AugmentationSpec.Parse(text).Describe();
        Assert.Equal(described, AugmentationSpec.Parse(described).Describe());
    }

    [Fact]
    public void Presets_build_and_keep_shapes_and_the_unit_range()
    {
        var image = KnownImages.Ramp(224, 224);
        foreach (string name in AugmentationPresets.Names)
        {
            var spec = AugmentationSpec.Parse(name);
            var expected = spec.OutputSizeFor(ImageSize.Of(image));
            for (int seed = 0; seed < 4; seed++)
            {
                var result = spec.PerSample.Apply(image, new Random(seed));
                Assert.Equal(expected, ImageSize.Of(result));
                KnownImages.AssertInUnitRange(result);
            }
        }
        Assert.Equal(new ImageSize(200, 200), AugmentationSpec.Parse("reference-pacs").OutputSize);
        Assert.Equal(new ImageSize(32, 32), AugmentationSpec.Parse("cifar").OutputSize);
        Assert.Null(AugmentationSpec.Parse("strong").OutputSize);
        Assert.True(AugmentationSpec.Parse("light").PreservesSize);
        Assert.IsType<AugmentationPipeline>(AugmentationPresets.Get("reference-pacs"));
    }

    [Fact]
    public void Shorter_side_resize_has_no_fixed_size_but_a_size_per_input()
    {
        var spec = AugmentationSpec.Parse("resize(size=100)");
        Assert.False(spec.PreservesSize);
        Assert.Null(spec.OutputSize);
        Assert.Equal(new ImageSize(133, 100), spec.OutputSizeFor(new ImageSize(400, 300)));
        Assert.Equal(new ImageSize(90, 80), AugmentationSpec.Parse("resize(size=100), center-crop(size=[80, 90])").OutputSize);
    }

    [Fact]
    public void Presets_combine_with_operations_in_a_list()
    {
        var spec = AugmentationSpec.Parse("reference-pacs, cutmix(alpha=1), mixup(alpha=0.2)");
        Assert.Equal(5, spec.PerSample.Steps.Count);
        Assert.Equal(2, Assert.IsType<RandomBatchChoice>(spec.Batch).Options.Count);
    }

    [Theory]
    [InlineData("hflop(p=0.5)", "unknown augmentation 'hflop' in 'hflop(p=0.5)'; operations: hflip, vflip, rotate, affine, crop,")]
    [InlineData("hflip(q=0.5)", "unknown argument 'q' for hflip in 'hflip(q=0.5)'; valid: hflip(p=0.5)")]
    [InlineData("hflip(p=often)", "hflip: p must be a number, got 'often'")]
    [InlineData("hflip(p=1.5)", "hflip: p must be a probability in [0, 1], got '1.5'")]
    [InlineData("crop", "crop needs size=…")]
    [InlineData("rotate(degrees=10, interpolation=cubic)", "rotate: interpolation must be one of nearest, bilinear, got 'cubic'")]
    [InlineData("hflip(p=0.5,p=0.2)", "hflip: argument 'p' is given twice")]
    [InlineData("hflip(p=0.5", "unbalanced brackets")]
    [InlineData("blur(kernel=4)", "blur: blur kernel must be odd and positive, got 4")]
    public void Bad_specs_give_one_clear_error(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => AugmentationSpec.Parse(text));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Unknown_operation_error_also_lists_the_presets()
    {
        var error = Assert.Throws<FormatException>(() => AugmentationSpec.Parse("heavy"));
        Assert.Contains("presets: cifar, light, none, reference-pacs, strong", error.Message);
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_images_and_targets()
    {
        var images = Enumerable.Range(0, 4).Select(i => KnownImages.From(224, 224, (c, x, y) => (x * 7 + y * 3 + c * 11 + i * 5) % 17 / 16f)).ToList();
        int[] labels = [0, 1, 2, 0];
        foreach (string text in AugmentationPresets.Names.Append("perspective(p=1), blur(kernel=3), erasing(p=1, value=random), mixup, cutmix, collage"))
        {
            var spec = AugmentationSpec.Parse(text);
            byte[] Run()
            {
                var random = new Random(42);
                var augmented = images.Select(image => spec.PerSample.Apply(image, random)).ToList();
                var batch = spec.Batch?.Apply(augmented, labels, 3, random) ?? SoftTargetBatch.OneHot(augmented, labels, 3);
                return [.. batch.Images.SelectMany(i => i.Data).Concat(batch.Targets).SelectMany(BitConverter.GetBytes)];
            }
            Assert.Equal(Run(), Run());
        }
    }

    [Fact]
    public void Short_hash_changes_with_any_setting()
    {
        Assert.Equal(AugmentationSpec.Parse("light").ShortHash(), AugmentationSpec.Parse(AugmentationPresets.BuiltIn["light"]).ShortHash());
        Assert.NotEqual(AugmentationSpec.Parse("hflip(p=0.5)").ShortHash(), AugmentationSpec.Parse("hflip(p=0.6)").ShortHash());
        Assert.Matches("^[0-9a-f]{8}$", AugmentationSpec.Parse("strong").ShortHash());
    }

    [Theory]
    [InlineData("crop(size=200)", "changes the image size")]
    [InlineData("hflip, mixup(alpha=0.2)", "has batch operations (mixup(alpha=0.2, p=1))")]
    [InlineData("hflip(p=2)", "augmentation: hflip: p must be a probability")]
    public void Frozen_features_reject_size_changing_batch_or_invalid_augmentation(string text, string expected)
    {
        var method = new FrozenFeaturesMethod { AugmentedCopies = 2, Augmentation = text };
        var error = Assert.Throws<PipelineException>(() => method.Validate("pacs.yaml"));
        Assert.StartsWith("pacs.yaml: ", error.Message);
        Assert.Contains(expected, error.Message);
        new FrozenFeaturesMethod { AugmentedCopies = 2, Augmentation = "hflip(p=0.5), rotate(degrees=5), resized-crop(scale=[0.8, 1])" }.Validate("ok.yaml");
    }

    [Fact]
    public void The_documentation_lists_every_operation_and_preset_spec()
    {
        string docs = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "augmentation.md"));
        foreach (var operation in AugmentationOperations.All)
            Assert.Contains($"| `{operation.Name}` |", docs);
        foreach (var (name, text) in AugmentationPresets.BuiltIn.Where(p => p.Key != "none"))
            Assert.Contains($"| `{name}` | `{text}` |", docs);
    }
}
