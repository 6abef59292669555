using MLPipelines.Imaging;
using MLPipelines.Imaging.Augmentation;

namespace MLPipelines.Tests.Imaging.Augmentation;

/// <summary>Geometric augmentations against hand-computed results on small known images, and torchvision's sampling rules.</summary>
public class GeometricAugmentationTests
{
    private static readonly ImageTensor Ramp = KnownImages.Ramp(4, 4);

    [Fact]
    public void Flips_mirror_columns_and_rows()
    {
        var horizontal = RandomHorizontalFlip.Flip(Ramp);
        var vertical = RandomVerticalFlip.Flip(Ramp);
        KnownImages.AssertEqual(KnownImages.From(4, 4, (c, x, y) => Ramp[c, y, 3 - x]), horizontal, 0);
        KnownImages.AssertEqual(KnownImages.From(4, 4, (c, x, y) => Ramp[c, 3 - y, x]), vertical, 0);
        Assert.Same(Ramp, new RandomHorizontalFlip(0).Apply(Ramp, new Random(1)));
        KnownImages.AssertEqual(horizontal, new RandomHorizontalFlip(1).Apply(Ramp, new Random(1)), 0);
    }

    [Theory]
    [InlineData(Interpolation.Nearest)]
    [InlineData(Interpolation.Bilinear)]
    public void Rotate_by_90_degrees_turns_counter_clockwise_on_screen_and_affine_turns_clockwise(Interpolation interpolation)
    {
        // Counter-clockwise: the top-right pixel becomes the top-left one (numpy.rot90 / torch.rot90 with k = 1).
        var counterClockwise = KnownImages.From(4, 4, (c, x, y) => Ramp[c, x, 3 - y]);
        var clockwise = KnownImages.From(4, 4, (c, x, y) => Ramp[c, 3 - x, y]);
        KnownImages.AssertEqual(counterClockwise, AffineWarp.Rotate(Ramp, 90, interpolation), 1e-5f);
        // torchvision's F.affine uses the opposite sign (its documentation: "clockwise direction").
        KnownImages.AssertEqual(clockwise, AffineWarp.Affine(Ramp, 90, (0, 0), 1, (0, 0), interpolation), 1e-5f);
    }

    [Fact]
    public void Affine_translation_shifts_by_whole_pixels_and_fills_the_uncovered_column()
    {
        var shifted = AffineWarp.Affine(Ramp, 0, (1, 0), 1, (0, 0), Interpolation.Nearest, fill: 0.5f);
        KnownImages.AssertEqual(KnownImages.From(4, 4, (c, x, y) => x == 0 ? 0.5f : Ramp[c, y, x - 1]), shifted, 0);
    }

    [Fact]
    public void Bilinear_fill_reproduces_torchvisions_mask_blend_at_borders()
    {
        // A half-pixel shift: the first column reads half outside. torchvision: sample·mask + (1 − mask)·fill, where the
        // sample is zero-padded (0.5·v) and the mask is 0.5, so 0.25·v + 0.5·fill.
        var image = KnownImages.Constant(4, 4, 0.8f, 0.8f, 0.8f);
        var shifted = AffineWarp.Affine(image, 0, (0.5, 0), 1, (0, 0), Interpolation.Bilinear, fill: 1f);
        Assert.Equal(0.25f * 0.8f + 0.5f, shifted[0, 1, 0], 5);
        Assert.Equal(0.8f, shifted[0, 1, 2], 5);
    }

    [Fact]
    public void Padding_modes_copy_the_expected_source_pixels()
    {
        // 3 wide: constant −1, edge, reflect (no edge repeat), symmetric (edge repeated), two pixels out on each side.
        int[] positions = [-2, -1, 0, 1, 2, 3, 4];
        Assert.Equal([-1, -1, 0, 1, 2, -1, -1], positions.Select(i => ImagePadding.SourceIndex(i, 3, PaddingMode.Constant)));
        Assert.Equal([0, 0, 0, 1, 2, 2, 2], positions.Select(i => ImagePadding.SourceIndex(i, 3, PaddingMode.Edge)));
        Assert.Equal([2, 1, 0, 1, 2, 1, 0], positions.Select(i => ImagePadding.SourceIndex(i, 3, PaddingMode.Reflect)));
        Assert.Equal([1, 0, 0, 1, 2, 2, 1], positions.Select(i => ImagePadding.SourceIndex(i, 3, PaddingMode.Symmetric)));
    }

    [Fact]
    public void Random_crop_with_padding_returns_a_window_of_the_padded_image()
    {
        var image = KnownImages.Ramp(3, 3);
        var padded = ImagePadding.Pad(image, 1, 1, 1, 1, PaddingMode.Reflect);
        Assert.Equal(image[0, 1, 1], padded[0, 0, 0]); // reflect: corner (−1, −1) copies (1, 1)
        var crop = new RandomCrop(ImageSize.Square(3), (1, 1, 1, 1), paddingMode: PaddingMode.Reflect);
        var seen = new HashSet<(int, int)>();
        for (int seed = 0; seed < 60; seed++)
        {
            var result = crop.Apply(image, new Random(seed));
            var window = Enumerable.Range(0, 3).SelectMany(top => Enumerable.Range(0, 3).Select(left => (left, top)))
                .Single(o => Enumerable.Range(0, 27).All(i => result.Data[i] == padded[i / 9, o.top + i % 9 / 3, o.left + i % 3]));
            seen.Add(window);
        }
        Assert.Equal(9, seen.Count); // every offset of the 5×5 padded image occurs
        var constant = new RandomCrop(ImageSize.Square(5), (1, 1, 1, 1), fill: 0.5f).Apply(image, new Random(0));
        KnownImages.AssertEqual(KnownImages.From(5, 5, (c, x, y) => x is 0 or 4 || y is 0 or 4 ? 0.5f : image[c, y - 1, x - 1]), constant, 0);
    }

    [Fact]
    public void Random_crop_rejects_a_crop_larger_than_the_image_unless_padding_is_allowed()
    {
        var error = Assert.Throws<ArgumentException>(() => new RandomCrop(ImageSize.Square(5)).Apply(Ramp, new Random(0)));
        Assert.Contains("larger than the padded image 4×4", error.Message);
        var padded = new RandomCrop(ImageSize.Square(6), padIfNeeded: true).Apply(Ramp, new Random(0));
        Assert.Equal((6, 6), (padded.Width, padded.Height));
    }

    [Fact]
    public void Antialiased_downscale_uses_the_widened_triangle_filter()
    {
        // 4 → 2 (scale 2): output 0 is centred at 1.0 with support 2, so source pixels 0, 1, 2 weigh 0.75, 0.75, 0.25 (/1.75).
        var row = KnownImages.From(4, 1, (c, x, y) => x * 0.25f);
        var half = AntialiasedResampler.Resize(row, new ImageSize(2, 1));
        Assert.Equal((0.75f * 0 + 0.75f * 0.25f + 0.25f * 0.5f) / 1.75f, half[0, 0, 0], 6);
        Assert.Equal((0.25f * 0.25f + 0.75f * 0.5f + 0.75f * 0.75f) / 1.75f, half[0, 0, 1], 6);
        // Same size is the identity; upscaling is plain bilinear (align_corners=False, edges clamped).
        KnownImages.AssertEqual(Ramp, AntialiasedResampler.Resize(Ramp, new ImageSize(4, 4)));
        var doubled = AntialiasedResampler.Resize(KnownImages.From(2, 1, (c, x, y) => x), new ImageSize(4, 1));
        Assert.Equal([0f, 0.25f, 0.75f, 1f], Enumerable.Range(0, 4).Select(x => doubled[0, 0, x]));
    }

    [Fact]
    public void Random_resized_crop_boxes_follow_the_area_and_aspect_ratio_ranges()
    {
        var crop = new RandomResizedCrop(scale: new ValueRange(0.08, 1), ratio: new ValueRange(3.0 / 4, 4.0 / 3));
        var random = new Random(7);
        var areas = new List<double>();
        for (int i = 0; i < 3000; i++)
        {
            var (left, top, w, h) = crop.SampleBox(224, 224, random);
            Assert.True(left >= 0 && top >= 0 && left + w <= 224 && top + h <= 224);
            double area = w * h / (224.0 * 224);
            // Rounding w and h to whole pixels moves the area and ratio slightly outside the drawn values.
            Assert.InRange(area, 0.08 * 0.98, 1.0);
            Assert.InRange((double)w / h, 0.75 * 0.95, 4.0 / 3 * 1.05);
            areas.Add(area);
        }
        // A draw is kept only if area ≤ min(r, 1/r) (the box must fit), which biases large areas out: the accepted mean
        // is 0.477 (integrated numerically for this algorithm), not the uniform 0.54. The standard error here is 0.005.
        Assert.InRange(areas.Average(), 0.46, 0.50);
        Assert.True(areas.Min() < 0.1 && areas.Max() > 0.95);
        // An impossible ratio range exhausts the 10 attempts and falls back to the centre crop with the clamped ratio.
        var impossible = new RandomResizedCrop(scale: new ValueRange(0.99, 1), ratio: new ValueRange(3, 4));
        Assert.Equal((0, 74, 224, 75), impossible.SampleBox(224, 224, new Random(1)));
    }

    [Fact]
    public void Random_resized_crop_output_has_the_requested_size_and_stays_in_range()
    {
        var image = KnownImages.Ramp(40, 30);
        var result = new RandomResizedCrop(new ImageSize(16, 12)).Apply(image, new Random(3));
        Assert.Equal((16, 12), (result.Width, result.Height));
        KnownImages.AssertInUnitRange(result);
    }

    [Fact]
    public void Perspective_without_distortion_is_the_identity_and_coefficients_solve_the_corner_map()
    {
        var image = KnownImages.Ramp(6, 5);
        KnownImages.AssertEqual(image, new RandomPerspective(0, 1).Apply(image, new Random(2)), 1e-5f);
        // Output corners moved right by 1: the homography maps them back, i.e. a shift of −1 in x.
        (int, int)[] start = [(0, 0), (5, 0), (5, 4), (0, 4)];
        (int, int)[] end = [(1, 0), (6, 0), (6, 4), (1, 4)];
        var c = RandomPerspective.Coefficients(start, end);
        Assert.Equal([1, 0, -1, 0, 1, 0, 0, 0], c.Select(v => Math.Round(v, 5)));
        var warped = new RandomPerspective(0.5, 1).Apply(KnownImages.Ramp(32, 32), new Random(4));
        KnownImages.AssertInUnitRange(warped);
    }

    [Fact]
    public void Resize_and_center_crop_follow_torchvision_sizes()
    {
        Assert.Equal(new ImageSize(224, 298), new Resize(224).OutputSizeFor(new ImageSize(300, 400)));
        Assert.Equal(new ImageSize(298, 224), new Resize(224).OutputSizeFor(new ImageSize(400, 300)));
        var image = KnownImages.Ramp(5, 5);
        KnownImages.AssertEqual(KnownImages.From(3, 3, (c, x, y) => image[c, y + 1, x + 1]), CenterCrop.Crop(image, ImageSize.Square(3)), 0);
        // Larger than the image: zero padding, (7 − 5) // 2 = 1 on the left and top.
        var padded = CenterCrop.Crop(image, ImageSize.Square(7));
        Assert.Equal(0f, padded[0, 0, 0]);
        Assert.Equal(image[0, 0, 0], padded[0, 1, 1]);
    }
}
