using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace MLPipelines.Catalog;

/// <summary>Reads catalog and pipeline YAML with hyphenated keys (<c>first-class-index</c>) and enum values (<c>center-crop</c>).</summary>
public static class CatalogYaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(HyphenatedNamingConvention.Instance)
        .WithEnumNamingConvention(HyphenatedNamingConvention.Instance)
        .Build();

    private static readonly IDeserializer LenientDeserializer = new DeserializerBuilder()
        .WithNamingConvention(HyphenatedNamingConvention.Instance)
        .WithEnumNamingConvention(HyphenatedNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    /// <summary>Parses <paramref name="yaml"/>; errors name <paramref name="origin"/> and the line.</summary>
    public static T Parse<T>(string yaml, string origin)
    {
        try
        {
            return Deserializer.Deserialize<T>(yaml) ?? throw new CatalogException($"{origin}: the file is empty");
        }
        catch (YamlException e)
        {
            string reason = (e.InnerException?.Message ?? e.Message).Split('\n')[0];
            throw new CatalogException($"{origin}:{e.Start.Line}: {reason}");
        }
    }

    /// <summary>Reads the <c>kind</c> key of a YAML file, ignoring the others (used to tell entry kinds apart).</summary>
    internal static string? PeekKind(string yaml) => PeekKey(yaml, "kind");

    /// <summary>The text value of top-level key <paramref name="key"/>, or null.</summary>
    public static string? PeekKey(string yaml, string key)
    {
        try
        {
            var map = LenientDeserializer.Deserialize<Dictionary<string, object?>>(yaml);
            return map is not null && map.TryGetValue(key, out var value) ? value?.ToString() : null;
        }
        catch (YamlException)
        {
            return null; // the full parse reports the syntax error with its line
        }
    }
}
