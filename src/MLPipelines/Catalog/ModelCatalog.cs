namespace MLPipelines.Catalog;

/// <summary>
/// The models MLPipelines knows by name: the YAML files of the repository's <c>models/</c> folder (built in) plus any extra
/// catalog folders. Entries of later folders replace built-in ones with the same name.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, ModelCard> _models = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, LabelFileCard> _labelFiles = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The built-in catalog.</summary>
    public static ModelCatalog BuiltIn { get; } = Load();

    /// <summary>Loads the built-in entries and then the <c>*.yaml</c> files of <paramref name="extraFolders"/>.</summary>
    public static ModelCatalog Load(params string[] extraFolders)
    {
        var catalog = new ModelCatalog();
        foreach (var (origin, yaml) in EmbeddedCatalogFiles.Read("models"))
            catalog.Add(origin, yaml);
        foreach (var folder in extraFolders)
        {
            if (!Directory.Exists(folder))
                throw new CatalogException($"{folder}: catalog folder does not exist");
            foreach (var file in Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
                catalog.Add(file, File.ReadAllText(file));
        }
        return catalog;
    }

    private void Add(string origin, string yaml)
    {
        if (CatalogYaml.PeekKind(yaml) == "labels")
        {
            var labels = CatalogYaml.Parse<LabelFileCard>(yaml, origin);
            _labelFiles[labels.File] = labels;
            return;
        }
        var card = CatalogYaml.Parse<ModelCard>(yaml, origin);
        card.Origin = origin;
        card.Validate();
        _models[card.Name] = card;
    }

    /// <summary>All models, sorted by name.</summary>
    public IReadOnlyList<ModelCard> Models => [.. _models.Values.OrderBy(m => m.Name, StringComparer.Ordinal)];

    /// <summary>The model called <paramref name="name"/>; the error lists the known names.</summary>
    public ModelCard Get(string name) => _models.TryGetValue(name, out var card)
        ? card
        : throw new CatalogException($"unknown model '{name}'; the catalog has: {string.Join(", ", _models.Keys.Order(StringComparer.Ordinal))}");

    /// <summary>Looks a model up without throwing.</summary>
    public bool TryGet(string name, out ModelCard card) => _models.TryGetValue(name, out card!);

    /// <summary>The catalog entry of a label file (for its checksum), or a bare entry when the catalog does not list it.</summary>
    public ICatalogFile LabelFile(string file) => _labelFiles.TryGetValue(file, out var card)
        ? card
        : new LabelFileCard { Name = file, File = file };
}
