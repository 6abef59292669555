namespace MLPipelines.Catalog;

/// <summary>A dataset catalog entry (one YAML file in <c>datasets/</c>).</summary>
public sealed class DatasetCard
{
    /// <summary>Catalog name, e.g. <c>pacs</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>One-line description.</summary>
    public string Description { get; set; } = "";

    /// <summary>How the data is stored.</summary>
    public DatasetKind Kind { get; set; }

    /// <summary>
    /// For image folders: folder relative to a datasets root. With <see cref="Domains"/> the classes are in
    /// <c>&lt;folder&gt;/&lt;domain&gt;/&lt;class&gt;/</c>, otherwise in <c>&lt;folder&gt;/&lt;class&gt;/</c>.
    /// </summary>
    public string Folder { get; set; } = "";

    /// <summary>Domains (sub-datasets) of an image folder, e.g. PACS's cartoon and photo.</summary>
    public List<string> Domains { get; set; } = [];

    /// <summary>The domain used when none is given.</summary>
    public string? DefaultDomain { get; set; }

    /// <summary>Class names in label order.</summary>
    public List<string> Classes { get; set; } = [];

    /// <summary>Expected number of images per domain (or per split), for documentation and checks.</summary>
    public Dictionary<string, int> Counts { get; set; } = [];

    /// <summary>Files of archive or idx datasets.</summary>
    public List<DatasetFile> Files { get; set; } = [];

    /// <summary>Where the data comes from.</summary>
    public string Source { get; set; } = "";

    /// <summary>Licence or terms of use.</summary>
    public string License { get; set; } = "";

    /// <summary>Caveats shown in reports (e.g. lossy JPEG copies).</summary>
    public string Notes { get; set; } = "";

    /// <summary>Path of the YAML file the card was read from.</summary>
    public string Origin { get; set; } = "";

    /// <summary>The file with the given role (e.g. "train-images"), or an error naming the dataset.</summary>
    public DatasetFile FileFor(string role) => Files.FirstOrDefault(f => f.Role == role)
        ?? throw new CatalogException($"dataset '{Name}' has no file with role '{role}' (roles: {string.Join(", ", Files.Select(f => f.Role))})");

    /// <summary>Checks required fields; throws a one-line error naming the card's file.</summary>
    public void Validate()
    {
        string owner = string.IsNullOrEmpty(Origin) ? Name : Origin;
        if (string.IsNullOrWhiteSpace(Name)) throw new CatalogException($"{owner}: 'name' is missing");
        if (Kind == DatasetKind.ImageFolder && string.IsNullOrWhiteSpace(Folder))
            throw new CatalogException($"{owner}: an image-folder dataset needs 'folder'");
        if (Kind != DatasetKind.ImageFolder && Files.Count == 0)
            throw new CatalogException($"{owner}: a {Kind} dataset needs 'files'");
        foreach (var file in Files)
            if (file.Sha256.Length is not (0 or 64))
                throw new CatalogException($"{owner}: sha256 of '{file.File}' must be 64 hex digits");
    }

    public override string ToString() => Name;
}

/// <summary>How a dataset is stored.</summary>
public enum DatasetKind
{
    /// <summary>One subfolder per class of image files.</summary>
    ImageFolder,

    /// <summary>MNIST-style idx files, gzip-compressed.</summary>
    Idx,

    /// <summary>A .tar.gz archive of image folders (e.g. CIFAR-10 as JPEG).</summary>
    ImageArchive,
}

/// <summary>One file of an idx or archive dataset.</summary>
public sealed class DatasetFile : ICatalogFile
{
    /// <summary>What the file is for, e.g. "train-images", "test-labels", "archive".</summary>
    public string Role { get; set; } = "";

    /// <summary>Path relative to a datasets root, e.g. <c>mnist/train-images-idx3-ubyte.gz</c>.</summary>
    public string File { get; set; } = "";

    public string Sha256 { get; set; } = "";
    public string? Url { get; set; }
    public string Source { get; set; } = "";
}
