using System.Reflection;

namespace MLPipelines.Catalog;

/// <summary>
/// The repository's <c>models/</c>, <c>datasets/</c> and <c>pipelines/</c> YAML files, embedded in the library at build time so
/// that the catalog works in any app, with or without a checkout of the repository.
/// </summary>
internal static class EmbeddedCatalogFiles
{
    /// <summary>(resource-derived origin, YAML text) for every embedded file of <paramref name="folder"/>.</summary>
    public static IEnumerable<(string Origin, string Yaml)> Read(string folder)
    {
        var assembly = typeof(EmbeddedCatalogFiles).Assembly;
        string prefix = $"catalog/{folder}/";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return ($"{folder}/{name[prefix.Length..]}", reader.ReadToEnd());
        }
    }
}
