using System.Security.Cryptography;
using System.Text;

namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// An augmentation policy written as text, for pipeline YAML and the CLI: a preset name (<c>reference-pacs</c>) or a
/// comma-separated list of operations and presets, e.g. <c>hflip(p=0.5), rotate(degrees=10), crop(size=200), mixup(alpha=0.2)</c>.
/// Per-sample operations run in the order written; batch operations (mixup, cutmix, collage) form <see cref="Batch"/>
/// (one chosen at random per batch when several are listed). See <see cref="AugmentationOperations"/> for the operations.
/// </summary>
public sealed class AugmentationSpec
{
    /// <summary>Creates a spec from its parts.</summary>
    public AugmentationSpec(IReadOnlyList<IImageAugmentation> perSample, IReadOnlyList<IBatchAugmentation> batch)
    {
        PerSample = new AugmentationPipeline(perSample);
        Batch = batch.Count switch { 0 => null, 1 => batch[0], _ => new RandomBatchChoice(batch) };
    }

    /// <summary>The per-sample augmentations, in order.</summary>
    public AugmentationPipeline PerSample { get; }

    /// <summary>The batch augmentation, or null when the spec has none.</summary>
    public IBatchAugmentation? Batch { get; }

    /// <summary>True when the per-sample part keeps the image size.</summary>
    public bool PreservesSize => PerSample.PreservesSize;

    /// <summary>
    /// The output size when the spec fixes it (e.g. 200×200 for <c>crop(size=200)</c>); null when the size is kept — or when it
    /// depends on the input (a shorter-side resize last: use <see cref="OutputSizeFor"/>).
    /// </summary>
    public ImageSize? OutputSize => PreservesSize ? null : PerSample.FixedOutputSize;

    /// <summary>The output size for inputs of size <paramref name="input"/>.</summary>
    public ImageSize OutputSizeFor(ImageSize input) => PerSample.OutputSizeFor(input);

    /// <summary>
    /// The full settings in spec syntax, defaults written out (e.g. <c>hflip(p=0.5), mixup(alpha=0.2, p=1)</c>); "none" when
    /// empty. <see cref="Parse"/> reads it back to the same spec, so it is a faithful cache key.
    /// </summary>
    public string Describe()
    {
        var parts = PerSample.Steps.Select(s => s.Describe()).ToList();
        if (Batch is not null) parts.Add(Batch.Describe());
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    /// <summary>The first 8 hex digits of the SHA-256 of <see cref="Describe"/>: changes whenever any setting changes.</summary>
    public string ShortHash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Describe())))[..8];

    /// <inheritdoc/>
    public override string ToString() => Describe();

    /// <summary>The spec without augmentation.</summary>
    public static AugmentationSpec None { get; } = new([], []);

    /// <summary>
    /// Parses a spec. Empty text and "none" give <see cref="None"/>. An unknown operation, argument or value raises one
    /// <see cref="FormatException"/> that lists what is valid.
    /// </summary>
    public static AugmentationSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var perSample = new List<IImageAugmentation>();
        var batch = new List<IBatchAugmentation>();
        foreach (string item in SplitTopLevel(text, text))
        {
            if (item.Length == 0) throw new FormatException($"augmentation spec '{text}' has an empty item (two commas in a row?)");
            int open = item.IndexOf('(');
            string name = (open < 0 ? item : item[..open]).Trim();
            if (open < 0 && AugmentationPresets.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                var preset = AugmentationPresets.GetSpec(name);
                perSample.AddRange(preset.PerSample.Steps);
                if (preset.Batch is RandomBatchChoice choice) batch.AddRange(choice.Options);
                else if (preset.Batch is { } single) batch.Add(single);
                continue;
            }
            var operation = AugmentationOperations.Find(name) ?? throw new FormatException(
                $"unknown augmentation '{name}' in '{text}'; operations: {string.Join(", ", AugmentationOperations.All.Select(o => o.Name))}; " +
                $"presets: {string.Join(", ", AugmentationPresets.Names)}");
            if (open >= 0 && !item.EndsWith(')'))
                throw new FormatException($"augmentation '{item}' in '{text}': missing ')' at the end");
            var arguments = ParseArguments(operation, open < 0 ? "" : item[(open + 1)..^1], text);
            object created;
            try
            {
                created = operation.Create(arguments);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"{operation.Name}: {e.Message}", e);
            }
            if (created is IBatchAugmentation b) batch.Add(b);
            else perSample.Add((IImageAugmentation)created);
        }
        return new AugmentationSpec(perSample, batch);
    }

    private static SpecArguments ParseArguments(AugmentationOperation operation, string text, string spec)
    {
        var values = operation.Arguments.ToDictionary(a => a.Name, a => a.Default, StringComparer.OrdinalIgnoreCase);
        var given = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string argument in SplitTopLevel(text, spec))
        {
            if (argument.Length == 0) continue;
            int equals = argument.IndexOf('=');
            string key = equals < 0 ? argument : argument[..equals].Trim();
            if (!values.ContainsKey(key))
                throw new FormatException($"unknown argument '{key}' for {operation.Name} in '{spec}'; valid: {operation.Signature}");
            if (equals < 0) throw new FormatException($"{operation.Name}: argument '{key}' needs a value ({key}=…)");
            if (!given.Add(key)) throw new FormatException($"{operation.Name}: argument '{key}' is given twice");
            values[key] = argument[(equals + 1)..].Trim();
        }
        return new SpecArguments(operation.Name, values);
    }

    // Splits at commas outside parentheses and brackets; items are trimmed. "none" and blank text give no items.
    private static List<string> SplitTopLevel(string text, string spec)
    {
        var items = new List<string>();
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return items;
        int depth = 0, start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '(' or '[') depth++;
            else if (c is ')' or ']')
            {
                if (--depth < 0) throw new FormatException($"augmentation spec '{spec}': unbalanced '{c}'");
            }
            else if (c == ',' && depth == 0)
            {
                items.Add(text[start..i].Trim());
                start = i + 1;
            }
        }
        if (depth != 0) throw new FormatException($"augmentation spec '{spec}': unbalanced brackets");
        items.Add(text[start..].Trim());
        return items;
    }
}
