namespace MLPipelines.Imaging.Augmentation;

/// <summary>Named augmentation policies, selectable from pipeline YAML (<c>augmentation: light</c>).</summary>
public static class AugmentationPresets
{
    private static readonly Dictionary<string, Func<IImageAugmentation>> Presets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = () => new AugmentationPipeline([]),
        // Mild changes that keep the object recognisable: the default for offline copies of frozen features.
        ["light"] = () => new AugmentationPipeline(
        [
            new RandomHorizontalFlip(0.5),
            new RandomAffine(degrees: 10, translate: 0.05, minScale: 0.95, maxScale: 1.1),
            new RandomResizedCrop(minScale: 0.7, maxScale: 1.0),
            new ColorJitter(brightness: 0.2, contrast: 0.2, saturation: 0.2, hue: 0.02),
        ]),
    };

    /// <summary>Registers (or replaces) a preset.</summary>
    public static void Register(string name, Func<IImageAugmentation> create)
    {
        lock (Presets)
            Presets[name] = create;
    }

    /// <summary>The preset called <paramref name="name"/>; the error lists the known presets.</summary>
    public static IImageAugmentation Get(string name)
    {
        lock (Presets)
            return Presets.TryGetValue(name, out var create)
                ? create()
                : throw new ArgumentException($"unknown augmentation preset '{name}'; known presets: {string.Join(", ", Presets.Keys.Order())}");
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
