namespace MLPipelines.Architectures;

/// <summary>
/// What every built-in architecture is configured with. Each architecture's options record derives from this one and sets
/// its own defaults (e.g. 1000 classes at 224×224 for the ImageNet networks, 10 classes at 32×32 for the course ConvNet).
/// Settings given as text (CLI <c>--set classes=10</c>, pipeline files) are bound by <see cref="ArchitectureOptionBinder"/>
/// to these properties by their kebab-case names (<c>classes</c>, <c>input-size</c>, <c>seed</c>…).
/// </summary>
public abstract record ArchitectureOptions
{
    /// <summary>Number of classes: the length of the <c>logits</c> output.</summary>
    public int Classes { get; init; } = 10;

    /// <summary>Side of the square input image in pixels: the graph input is [N, <see cref="InputChannels"/>, size, size].</summary>
    public int InputSize { get; init; } = 32;

    /// <summary>
    /// Channels of the input image. Default 3: MLPipelines feeds RGB, and grayscale images (MNIST) arrive with the gray value
    /// in all three channels. Use 1 only when your own code feeds single-channel tensors.
    /// </summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>
    /// Seed of the initial weights (default 42, the project's default seed). The same seed gives byte-identical weights on every
    /// machine and .NET version; see <see cref="SeededRandom"/>.
    /// </summary>
    public long Seed { get; init; } = 42;

    /// <summary>Checks the options; throws an <see cref="ArgumentException"/> whose one-line message names the bad option.</summary>
    public virtual void Validate(string architecture)
    {
        Require(architecture, Classes >= 1, "classes", $"must be at least 1, got {Classes}");
        Require(architecture, InputSize >= 1, "input-size", $"must be at least 1, got {InputSize}");
        Require(architecture, InputChannels >= 1, "input-channels", $"must be at least 1, got {InputChannels}");
    }

    /// <summary>Throws the one-line error for option <paramref name="option"/> of <paramref name="architecture"/> unless <paramref name="condition"/>.</summary>
    protected static void Require(string architecture, bool condition, string option, string problem)
    {
        if (!condition) throw new ArgumentException($"{architecture}: option '{option}' {problem}");
    }

    /// <summary>The options as <c>name=value</c> pairs in kebab-case, as recorded in a built model's metadata.</summary>
    public string Describe() => ArchitectureOptionBinder.Describe(this);
}
