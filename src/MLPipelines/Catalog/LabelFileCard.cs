namespace MLPipelines.Catalog;

/// <summary>A class-name file in the model catalog (e.g. <c>imagenet-synsets.txt</c>), one class per line.</summary>
public sealed class LabelFileCard : ICatalogFile
{
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "labels";
    public string File { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public string? Url { get; set; }
    public string Source { get; set; } = "";
    public string License { get; set; } = "";
}
