namespace MLPipelines.Catalog;

/// <summary>The datasets MLPipelines knows by name: the YAML files of the repository's <c>datasets/</c> folder plus extra folders.</summary>
public sealed class DatasetCatalog
{
    private readonly Dictionary<string, DatasetCard> _datasets = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The built-in catalog.</summary>
    public static DatasetCatalog BuiltIn { get; } = Load();

    /// <summary>Loads the built-in entries and then the <c>*.yaml</c> files of <paramref name="extraFolders"/>.</summary>
    public static DatasetCatalog Load(params string[] extraFolders)
    {
        var catalog = new DatasetCatalog();
        foreach (var (origin, yaml) in EmbeddedCatalogFiles.Read("datasets"))
            catalog.Add(origin, yaml);
        foreach (var folder in extraFolders)
            foreach (var file in Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
                catalog.Add(file, File.ReadAllText(file));
        return catalog;
    }

    private void Add(string origin, string yaml)
    {
        var card = CatalogYaml.Parse<DatasetCard>(yaml, origin);
        card.Origin = origin;
        card.Validate();
        _datasets[card.Name] = card;
    }

    /// <summary>All datasets, sorted by name.</summary>
    public IReadOnlyList<DatasetCard> Datasets => [.. _datasets.Values.OrderBy(d => d.Name, StringComparer.Ordinal)];

    /// <summary>The dataset called <paramref name="name"/>; the error lists the known names.</summary>
    public DatasetCard Get(string name) => _datasets.TryGetValue(name, out var card)
        ? card
        : throw new CatalogException($"unknown dataset '{name}'; the catalog has: {string.Join(", ", _datasets.Keys.Order(StringComparer.Ordinal))}");
}
