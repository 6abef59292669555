namespace MLPipelines.Pipelines;

/// <summary>The data a pipeline runs on: a catalog dataset (and domain), or any image folder with one subfolder per class.</summary>
public sealed class DatasetSelection
{
    /// <summary>Catalog dataset name, e.g. <c>pacs</c>. Ignored when <see cref="Folder"/> is set.</summary>
    public string? Name { get; set; }

    /// <summary>Domain of a multi-domain dataset (PACS: cartoon, photo, …). Default: the catalog's default domain.</summary>
    public string? Domain { get; set; }

    /// <summary>An image folder (one subfolder per class), relative to the working directory. Overrides <see cref="Name"/>.</summary>
    public string? Folder { get; set; }

    /// <summary>"pacs/cartoon" or the folder path, for reports.</summary>
    public string Describe() => Folder ?? (Domain is null ? Name ?? "?" : $"{Name}/{Domain}");
}
