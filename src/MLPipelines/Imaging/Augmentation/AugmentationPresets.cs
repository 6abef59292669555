namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// Named augmentation policies, selectable from pipeline YAML (<c>augmentation: reference-pacs</c>) and usable inside a
/// spec list (<c>reference-pacs, mixup(alpha=0.2)</c>). Built-in presets are spec text, listed in docs/augmentation.md.
/// </summary>
public static class AugmentationPresets
{
    /// <summary>The built-in presets as spec text.</summary>
    public static IReadOnlyDictionary<string, string> BuiltIn { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = "none",
        // Mild changes that keep the object recognisable: the default for offline copies of frozen features (size kept).
        ["light"] = "hflip(p=0.5), affine(degrees=10, translate=0.05, scale=[0.95, 1.1], interpolation=bilinear), " +
                    "resized-crop(scale=[0.7, 1]), jitter(brightness=0.2, contrast=0.2, saturation=0.2, hue=0.02)",
        // The reference report's policy, in its order; from a 224×224 input the crop makes 200×200 training images.
        ["reference-pacs"] = "hflip(p=0.1), affine(degrees=10), crop(size=200), sharpness(factor=2, p=0.1), grayscale(p=0.1)",
        // torchvision's classification-reference recipe (random resized crop, flip, TrivialAugmentWide, random erasing),
        // with a gentler crop scale for few-shot data and noise-filled erasing. Size kept.
        ["strong"] = "resized-crop(scale=[0.25, 1]), hflip(p=0.5), trivial-augment, erasing(p=0.25, value=random)",
        // The CIFAR-10 ConvNet study: 32×32 crops with 4 px padding, flips, small rotation and shift, gray, colour jitter.
        ["cifar"] = "crop(size=32, padding=4), hflip(p=0.5), affine(degrees=5, translate=0.2), grayscale(p=0.1), " +
                    "jitter(brightness=0.2, contrast=0.2, saturation=0.2, hue=0.05)",
    };

    private static readonly Dictionary<string, Func<AugmentationSpec>> Presets =
        BuiltIn.ToDictionary(p => p.Key, p => (Func<AugmentationSpec>)(() => AugmentationSpec.Parse(p.Value)), StringComparer.OrdinalIgnoreCase);

    /// <summary>Registers (or replaces) a per-sample preset.</summary>
    public static void Register(string name, Func<IImageAugmentation> create) => Register(name, () => new AugmentationSpec([create()], []));

    /// <summary>Registers (or replaces) a preset that may include batch augmentation.</summary>
    public static void Register(string name, Func<AugmentationSpec> create)
    {
        lock (Presets)
            Presets[name] = create;
    }

    /// <summary>The per-sample part of the preset called <paramref name="name"/>; the error lists the known presets.</summary>
    public static IImageAugmentation Get(string name) => GetSpec(name).PerSample;

    /// <summary>The preset called <paramref name="name"/> as a spec; the error lists the known presets.</summary>
    public static AugmentationSpec GetSpec(string name)
    {
        Func<AugmentationSpec>? create;
        lock (Presets)
            if (!Presets.TryGetValue(name, out create))
                throw new ArgumentException($"unknown augmentation preset '{name}'; known presets: {string.Join(", ", Presets.Keys.Order())}");
        return create();
    }

    /// <summary>Names of the registered presets.</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            lock (Presets)
                return [.. Presets.Keys.Order()];
        }
    }
}
