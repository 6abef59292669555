using MLPipelines.Imaging;
using MLPipelines.Imaging.Augmentation;

namespace MLPipelines.Tests.Imaging.Augmentation;

/// <summary>Colour augmentations against hand-computed results (torchvision v2's float formulas).</summary>
public class PhotometricAugmentationTests
{
    private static readonly ImageTensor Ramp = KnownImages.Ramp(5, 5);

    private static float Gray(ImageTensor image, int y, int x) =>
        0.2989f * image[0, y, x] + 0.587f * image[1, y, x] + 0.114f * image[2, y, x];

    [Fact]
    public void Grayscale_uses_torchvisions_weights_on_all_three_channels()
    {
        var gray = ColorAdjustments.Grayscale(Ramp);
        KnownImages.AssertEqual(KnownImages.From(5, 5, (c, x, y) => Gray(Ramp, y, x)), gray);
        KnownImages.AssertEqual(gray, new RandomGrayscale(1).Apply(Ramp, new Random(0)));
        Assert.Same(Ramp, new RandomGrayscale(0).Apply(Ramp, new Random(0)));
    }

    [Fact]
    public void Brightness_contrast_and_saturation_blend_as_torchvision_and_clamp()
    {
        KnownImages.AssertEqual(KnownImages.From(5, 5, (c, x, y) => Math.Min(1f, 1.5f * Ramp[c, y, x])), ColorAdjustments.Brightness(Ramp, 1.5));
        float mean = Enumerable.Range(0, 25).Average(i => Gray(Ramp, i / 5, i % 5));
        KnownImages.AssertEqual(KnownImages.From(5, 5, (c, x, y) => Math.Clamp(0.5f * Ramp[c, y, x] + 0.5f * mean, 0, 1)),
            ColorAdjustments.Contrast(Ramp, 0.5), 1e-6f);
        KnownImages.AssertEqual(ColorAdjustments.Grayscale(Ramp), ColorAdjustments.Saturation(Ramp, 0), 1e-6f);
        KnownImages.AssertEqual(Ramp, ColorAdjustments.Saturation(Ramp, 1), 1e-6f);
        KnownImages.AssertInUnitRange(ColorAdjustments.Saturation(Ramp, 3));
    }

    [Fact]
    public void Hue_shift_of_a_third_turns_red_into_green_and_keeps_grays()
    {
        var red = KnownImages.Constant(2, 2, 0.8f, 0.2f, 0.2f);
        KnownImages.AssertEqual(KnownImages.Constant(2, 2, 0.2f, 0.8f, 0.2f), ColorAdjustments.Hue(red, 1.0 / 3), 1e-5f);
        var gray = KnownImages.Constant(2, 2, 0.4f, 0.4f, 0.4f);
        KnownImages.AssertEqual(gray, ColorAdjustments.Hue(gray, 0.3), 1e-6f);
        KnownImages.AssertEqual(Ramp, ColorAdjustments.Hue(Ramp, 0), 1e-5f);
    }

    [Fact]
    public void Sharpness_blends_interior_pixels_with_the_3x3_smoothing_and_keeps_the_border()
    {
        var sharper = ColorAdjustments.Sharpness(Ramp, 2);
        // Interior pixel (2, 2) of the red ramp: blur = (sum of 8 neighbours + 5·centre) / 13; result = 2·x − blur.
        float[] neighbours = [Ramp[0, 1, 1], Ramp[0, 1, 2], Ramp[0, 1, 3], Ramp[0, 2, 1], Ramp[0, 2, 3], Ramp[0, 3, 1], Ramp[0, 3, 2], Ramp[0, 3, 3]];
        float blur = (neighbours.Sum() + 5 * Ramp[0, 2, 2]) / 13f;
        Assert.Equal(Math.Clamp(2 * Ramp[0, 2, 2] - blur, 0, 1), sharper[0, 2, 2], 5);
        Assert.Equal(Ramp[0, 0, 3], sharper[0, 0, 3]); // border kept
        KnownImages.AssertEqual(Ramp, ColorAdjustments.Sharpness(Ramp, 1), 1e-6f);
        KnownImages.AssertInUnitRange(ColorAdjustments.Sharpness(KnownImages.Ramp(16, 16), 8));
    }

    [Fact]
    public void Gaussian_blur_keeps_constant_images_and_matches_a_hand_computed_kernel()
    {
        var flat = KnownImages.Constant(6, 6, 0.3f, 0.6f, 0.9f);
        KnownImages.AssertEqual(flat, GaussianBlur.Blur(flat, 5, 1.5), 1e-6f);
        // 3 taps, σ = 1: weights e^(−½), 1, e^(−½), normalised; a single bright column spreads to its neighbours.
        var line = KnownImages.From(5, 3, (c, x, y) => x == 2 ? 1f : 0f);
        float side = MathF.Exp(-0.5f) / (1 + 2 * MathF.Exp(-0.5f)), centre = 1 / (1 + 2 * MathF.Exp(-0.5f));
        var blurred = GaussianBlur.Blur(line, 3, 1.0);
        float[] expected = [0f, side, centre, side, 0f];
        for (int x = 0; x < 5; x++)
            Assert.Equal(expected[x], blurred[0, 1, x], 6);
    }

    [Fact]
    public void Random_erasing_fills_the_drawn_rectangle_only()
    {
        // Area fraction 0.25 and ratio 1 on 8×8: a 4×4 square.
        var erasing = new RandomErasing(1, new ValueRange(0.25, 0.25), new ValueRange(1, 1), [0.5f]);
        var image = KnownImages.Ramp(8, 8);
        var generator = new Random(5);
        generator.NextDouble(); // Apply first draws whether to erase
        var box = erasing.SampleBox(8, 8, generator)!.Value;
        Assert.Equal((4, 4), (box.Width, box.Height));
        var erased = erasing.Apply(image, new Random(5));
        bool Inside(int x, int y) => x >= box.Left && x < box.Left + 4 && y >= box.Top && y < box.Top + 4;
        KnownImages.AssertEqual(KnownImages.From(8, 8, (c, x, y) => Inside(x, y) ? 0.5f : image[c, y, x]), erased, 0);
        // A rectangle as large as the image never fits (torchvision requires h < H and w < W): the image is kept.
        Assert.Same(image, new RandomErasing(1, new ValueRange(1, 1), new ValueRange(1, 1)).Apply(image, new Random(5)));
        KnownImages.AssertInUnitRange(new RandomErasing(1, randomValue: true).Apply(KnownImages.Ramp(32, 32), new Random(9)));
    }

    [Fact]
    public void Posterize_solarize_autocontrast_and_equalize_follow_torchvision()
    {
        var values = KnownImages.From(4, 1, (c, x, y) => new[] { 0.1f, 0.3f, 0.6f, 0.9f }[x]);
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f], Row(ColorAdjustments.Posterize(values, 2)));
        Assert.Equal([0.1f, 0.3f, 0.4f, 0.1f], Row(ColorAdjustments.Solarize(values, 0.5)).Select(v => MathF.Round(v, 5)));
        Assert.Equal([0f, 0.25f, 0.625f, 1f], Row(ColorAdjustments.AutoContrast(values)).Select(v => MathF.Round(v, 5)));
        // Equalize, PIL's table: 4 pixels with distinct levels, step = (4 − 1) // 255 = 0 → unchanged (up to 8-bit levels).
        Assert.Equal([25, 76, 153, 230], Row(ColorAdjustments.Equalize(values)).Select(v => (int)MathF.Round(v * 255)));
        // Two levels, 256 pixels each: step = 256 // 255 = 1, lut[k] = pixels below level k, clamped: 0 and 255.
        var twoLevels = KnownImages.From(16, 32, (c, x, y) => y < 16 ? 0.2f : 0.6f);
        var equalized = ColorAdjustments.Equalize(twoLevels);
        Assert.Equal(0f, equalized[0, 0, 0]);
        Assert.Equal(1f, equalized[0, 20, 0]);
    }

    private static float[] Row(ImageTensor image) => [.. Enumerable.Range(0, image.Width).Select(x => image[0, 0, x])];

    [Fact]
    public void Color_jitter_with_brightness_only_scales_by_a_factor_in_range()
    {
        var jitter = new ColorJitter(brightness: ColorJitter.FactorRange(0.4));
        var image = KnownImages.Constant(3, 3, 0.5f, 0.5f, 0.5f);
        for (int seed = 0; seed < 20; seed++)
        {
            float v = jitter.Apply(image, new Random(seed))[0, 0, 0];
            Assert.InRange(v, 0.5f * 0.6f - 1e-6f, 0.5f * 1.4f + 1e-6f);
        }
        var all = new ColorJitter(ColorJitter.FactorRange(0.4), ColorJitter.FactorRange(0.4), ColorJitter.FactorRange(0.4), ColorJitter.HueRange(0.1));
        KnownImages.AssertInUnitRange(all.Apply(KnownImages.Ramp(16, 16), new Random(1)));
    }

    [Fact]
    public void Trivial_augment_operations_keep_shape_and_range()
    {
        var image = KnownImages.Ramp(24, 20);
        foreach (string operation in TrivialAugmentWide.Operations)
            foreach (double magnitude in new[] { -0.9, 0.9 })
            {
                double m = operation switch { "Posterize" => 4, "Solarize" => 0.5, "TranslateX" or "TranslateY" => 5 * magnitude, "Rotate" => 100 * magnitude, _ => magnitude };
                var result = TrivialAugmentWide.Apply(image, operation, m);
                Assert.Equal((24, 20), (result.Width, result.Height));
                KnownImages.AssertInUnitRange(result);
            }
        var policy = new TrivialAugmentWide();
        Assert.Equal(135.0, policy.Magnitude("Rotate", 30));
        Assert.Equal(8.0, policy.Magnitude("Posterize", 0));
        Assert.Equal(2.0, policy.Magnitude("Posterize", 30));
    }
}
