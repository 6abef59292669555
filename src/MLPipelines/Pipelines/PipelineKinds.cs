using MLPipelines.Catalog;

namespace MLPipelines.Pipelines;

/// <summary>
/// Finds pipelines by name (built in: the repository's <c>pipelines/</c> folder, embedded in the library) or by file, and parses
/// each with the parser of its <c>experiment</c> kind. Assemblies with more kinds register them before pipelines are loaded.
/// </summary>
public static class PipelineKinds
{
    /// <summary>The kind used when a file has no <c>experiment</c> key.</summary>
    public const string ImageClassification = "image-classification";

    private static readonly Dictionary<string, Func<string, string, IPipeline>> Parsers = new(StringComparer.Ordinal)
    {
        [ImageClassification] = PipelineDefinition.Parse,
    };

    /// <summary>Registers the parser of experiment kind <paramref name="experiment"/> (YAML text, origin → pipeline).</summary>
    public static void Register(string experiment, Func<string, string, IPipeline> parse)
    {
        lock (Parsers)
            Parsers[experiment] = parse;
    }

    /// <summary>Parses pipeline YAML of any registered kind.</summary>
    public static IPipeline Parse(string yaml, string origin)
    {
        string experiment = CatalogYaml.PeekKey(yaml, "experiment") ?? ImageClassification;
        Func<string, string, IPipeline>? parse;
        lock (Parsers)
            Parsers.TryGetValue(experiment, out parse);
        if (parse is null)
            throw new PipelineException($"{origin}: unknown experiment '{experiment}'; known: {string.Join(", ", KnownKinds)}");
        return parse(yaml, origin);
    }

    /// <summary>Reads a pipeline file.</summary>
    public static IPipeline Load(string path) => File.Exists(path)
        ? Parse(File.ReadAllText(path), path)
        : throw new PipelineException($"{path}: pipeline file does not exist");

    /// <summary>The built-in pipeline called <paramref name="name"/>.</summary>
    public static IPipeline BuiltIn(string name)
    {
        foreach (var (origin, yaml) in EmbeddedCatalogFiles.Read("pipelines"))
            if (Path.GetFileNameWithoutExtension(origin) == name)
                return Parse(yaml, origin);
        throw new PipelineException($"unknown pipeline '{name}'; built-in pipelines: {string.Join(", ", BuiltInNames())}");
    }

    /// <summary>Names of the built-in pipelines.</summary>
    public static IReadOnlyList<string> BuiltInNames() =>
        EmbeddedCatalogFiles.Read("pipelines").Select(f => Path.GetFileNameWithoutExtension(f.Origin)).ToList();

    /// <summary>The registered experiment kinds.</summary>
    public static IReadOnlyList<string> KnownKinds
    {
        get
        {
            lock (Parsers)
                return [.. Parsers.Keys.Order(StringComparer.Ordinal)];
        }
    }
}
