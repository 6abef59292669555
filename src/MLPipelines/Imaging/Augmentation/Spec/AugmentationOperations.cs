namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// The operations <see cref="AugmentationSpec.Parse"/> knows, with torchvision's defaults. Single numbers become ranges the
/// way torchvision does it: degrees and shear d → [−d, d], jitter v → [max(0, 1 − v), 1 + v], hue h → [−h, h].
/// </summary>
public static class AugmentationOperations
{
    /// <summary>All operations, per-sample first, in documentation order.</summary>
    public static IReadOnlyList<AugmentationOperation> All { get; } =
    [
        new("hflip", "horizontal flip with probability p", [("p", "0.5")], a => new RandomHorizontalFlip(a.Probability("p"))),
        new("vflip", "vertical flip with probability p", [("p", "0.5")], a => new RandomVerticalFlip(a.Probability("p"))),
        new("rotate", "rotation by an angle uniform in ±degrees (counter-clockwise positive)",
            [("degrees", null), ("interpolation", "nearest"), ("fill", "0")],
            a => new RandomRotation(a.Range("degrees", ValueRange.Symmetric), a.Word<Interpolation>("interpolation"), (float)a.Number("fill"))),
        new("affine", "random affine: rotation ±degrees, shift ±translate·size, scale range, shear ±degrees (x, or [x range, y range])",
            [("degrees", "0"), ("translate", "0"), ("scale", "none"), ("shear", "0"), ("interpolation", "nearest"), ("fill", "0")],
            Affine),
        new("crop", "random crop of size ([height, width] or one number) after optional padding",
            [("size", null), ("padding", "0"), ("pad-if-needed", "false"), ("padding-mode", "constant"), ("fill", "0")], Crop),
        new("resized-crop", "random area fraction and log-uniform aspect ratio, resized to size (default: the input size)",
            [("size", "none"), ("scale", "[0.08, 1]"), ("ratio", "[0.75, 1.3333333333333333]")],
            a => new RandomResizedCrop(a.IsNone("size") ? null : a.Size("size"), a.Range("scale", ValueRange.Fixed), a.Range("ratio", ValueRange.Fixed))),
        new("perspective", "random perspective with probability p; corners move up to distortion · half the size",
            [("distortion", "0.5"), ("p", "0.5"), ("interpolation", "bilinear"), ("fill", "0")],
            a => new RandomPerspective(a.Number("distortion"), a.Probability("p"), a.Word<Interpolation>("interpolation"), (float)a.Number("fill"))),
        new("resize", "resize: one number sets the shorter side, [height, width] the exact size (antialiased bilinear)",
            [("size", null)],
            a => a.Numbers("size", 1, 2).Length == 1 ? new Resize(a.Size("size").Width) : new Resize(a.Size("size"))),
        new("center-crop", "centre crop of size (zero padding when the image is smaller)", [("size", null)], a => new CenterCrop(a.Size("size"))),
        new("jitter", "colour jitter in random order: brightness, contrast, saturation (v or [min, max]), hue (h or [min, max])",
            [("brightness", "0"), ("contrast", "0"), ("saturation", "0"), ("hue", "0")],
            a => new ColorJitter(Jitter(a, "brightness"), Jitter(a, "contrast"), Jitter(a, "saturation"),
                a.Numbers("hue", 1, 2) is [var h] ? ColorJitter.HueRange(h) : a.Range("hue", ValueRange.Fixed))),
        new("grayscale", "gray with probability p (0.2989 R + 0.587 G + 0.114 B, as torchvision)", [("p", "0.1")],
            a => new RandomGrayscale(a.Probability("p"))),
        new("sharpness", "sharpness adjustment by factor with probability p", [("factor", null), ("p", "0.5")],
            a => new RandomAdjustSharpness(a.Number("factor"), a.Probability("p"))),
        new("blur", "Gaussian blur with an odd kernel size and sigma uniform in a range", [("kernel", null), ("sigma", "[0.1, 2]")],
            a => new GaussianBlur(a.Integer("kernel"), a.Range("sigma", ValueRange.Fixed))),
        new("erasing", "random erasing with probability p: area fraction scale, ratio height/width, value (number, [r, g, b] or random)",
            [("p", "0.5"), ("scale", "[0.02, 0.33]"), ("ratio", "[0.3, 3.3]"), ("value", "0")], Erasing),
        new("trivial-augment", "TrivialAugmentWide: one of 14 operations at a random magnitude", [("bins", "31"), ("interpolation", "nearest")],
            a => new TrivialAugmentWide(a.Integer("bins"), a.Word<Interpolation>("interpolation"))),
        new("mixup", "batch: mixup with λ ~ Beta(alpha, alpha), with probability p per batch", [("alpha", "1"), ("p", "1")],
            a => new Mixup(a.Number("alpha"), a.Probability("p"))) { IsBatch = true },
        new("cutmix", "batch: cutmix with λ ~ Beta(alpha, alpha), with probability p per batch", [("alpha", "1"), ("p", "1")],
            a => new CutMix(a.Number("alpha"), a.Probability("p"))) { IsBatch = true },
        new("collage", "batch: each image with probability p tiled with a different image of the batch", [("p", "1"), ("min-fraction", "0.25")],
            a => new Collage(a.Probability("p"), a.Number("min-fraction"))) { IsBatch = true },
    ];

    /// <summary>The operation called <paramref name="name"/>, or null.</summary>
    public static AugmentationOperation? Find(string name) =>
        All.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));

    private static ValueRange? Jitter(SpecArguments a, string name) =>
        a.Numbers(name, 1, 2) is [var v] ? ColorJitter.FactorRange(v) : a.Range(name, ValueRange.Fixed);

    private static RandomAffine Affine(SpecArguments a)
    {
        var translate = a.Numbers("translate", 1, 2);
        var shear = a.Numbers("shear", 1, 2, 4);
        ValueRange? shearX = shear switch
        {
            [0] => null,
            [var s] => ValueRange.Symmetric(s),
            _ => new ValueRange(shear[0], shear[1]),
        };
        ValueRange? shearY = shear.Length == 4 ? new ValueRange(shear[2], shear[3]) : null;
        return new RandomAffine(a.Range("degrees", ValueRange.Symmetric),
            translate is [var t] ? (t, t) : (translate[0], translate[1]),
            a.IsNone("scale") ? null : a.Range("scale", ValueRange.Fixed),
            shearX, shearY, a.Word<Interpolation>("interpolation"), (float)a.Number("fill"));
    }

    private static RandomCrop Crop(SpecArguments a)
    {
        var p = a.Numbers("padding", 1, 2, 4).Select(v => (int)v).ToArray();
        // torchvision: one value pads every side, two pad left/right and top/bottom, four are left, top, right, bottom.
        var padding = p.Length switch { 1 => (p[0], p[0], p[0], p[0]), 2 => (p[0], p[1], p[0], p[1]), _ => (p[0], p[1], p[2], p[3]) };
        return new RandomCrop(a.Size("size"), padding, a.Boolean("pad-if-needed"), a.Word<PaddingMode>("padding-mode"), (float)a.Number("fill"));
    }

    private static RandomErasing Erasing(SpecArguments a)
    {
        bool random = string.Equals(a.Text("value"), "random", StringComparison.OrdinalIgnoreCase);
        return new RandomErasing(a.Probability("p"), a.Range("scale", ValueRange.Fixed), a.Range("ratio", ValueRange.Fixed),
            random ? null : [.. a.Numbers("value", 1, 3).Select(v => (float)v)], random);
    }
}
