using MLPipelines.Onnx.Proto;

namespace MLPipelines.Architectures;

/// <summary>A built-in architecture as the registry knows it: its name, what it is, its options type and its builder.</summary>
public sealed class ArchitectureDefinition
{
    private readonly Func<ArchitectureOptions, ModelProto> _build;

    internal ArchitectureDefinition(string name, string description, Type optionsType, Func<ArchitectureOptions, ModelProto> build)
    {
        Name = name;
        Description = description;
        OptionsType = optionsType;
        _build = build;
    }

    /// <summary>Registry name, e.g. <c>resnet18</c>.</summary>
    public string Name { get; }

    /// <summary>One line on what the architecture is.</summary>
    public string Description { get; }

    /// <summary>The <see cref="ArchitectureOptions"/> record this architecture takes.</summary>
    public Type OptionsType { get; }

    /// <summary>The option names that <see cref="Options"/> accepts, e.g. <c>classes</c>, <c>input-size</c>, <c>seed</c>.</summary>
    public IReadOnlyList<string> OptionNames => ArchitectureOptionBinder.OptionNames(OptionsType);

    /// <summary>The default options with <paramref name="settings"/> (<c>name → value</c> text) applied, validated.</summary>
    public ArchitectureOptions Options(IEnumerable<KeyValuePair<string, string>>? settings = null)
    {
        var options = ArchitectureOptionBinder.Bind(Name, OptionsType, settings);
        options.Validate(Name);
        return options;
    }

    /// <summary>A model with fresh weights built from text settings (defaults for everything not given).</summary>
    public ModelProto Build(IEnumerable<KeyValuePair<string, string>>? settings = null) => Build(Options(settings));

    /// <summary>A model with fresh weights built from <paramref name="options"/>, which must be of <see cref="OptionsType"/>.</summary>
    public ModelProto Build(ArchitectureOptions options)
    {
        if (options.GetType() != OptionsType)
            throw new ArgumentException($"{Name}: takes {OptionsType.Name}, got {options.GetType().Name}");
        return _build(options);
    }

    public override string ToString() => Name;
}
