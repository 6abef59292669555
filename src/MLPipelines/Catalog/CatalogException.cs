namespace MLPipelines.Catalog;

/// <summary>A catalog entry is missing or malformed; the message is one line that names the entry or file.</summary>
public sealed class CatalogException(string message) : Exception(message);
