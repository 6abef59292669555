namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// One operation of the spec language: its name, a one-line summary, its arguments with default values as text (null =
/// required) and a factory that builds an <see cref="IImageAugmentation"/> or an <see cref="IBatchAugmentation"/>.
/// </summary>
public sealed record AugmentationOperation(
    string Name, string Summary, IReadOnlyList<(string Name, string? Default)> Arguments, Func<SpecArguments, object> Create)
{
    /// <summary>True when the operation mixes a batch (mixup, cutmix, collage).</summary>
    public bool IsBatch { get; init; }

    /// <summary>The call with its defaults, e.g. <c>hflip(p=0.5)</c>, for documentation and error messages.</summary>
    public string Signature => Arguments.Count == 0
        ? Name
        : $"{Name}({string.Join(", ", Arguments.Select(a => $"{a.Name}={a.Default ?? "…"}"))})";
}
