namespace MLPipelines.Catalog;

/// <summary>A single file the catalog knows: its name, checksum and where it can be downloaded.</summary>
public interface ICatalogFile
{
    /// <summary>Path relative to its kind's folder, e.g. <c>squeezenet1.1-7.onnx</c> or <c>mnist/train-images-idx3-ubyte.gz</c>.</summary>
    string File { get; }

    /// <summary>Expected SHA-256 (lower-case hex), or empty when unknown.</summary>
    string Sha256 { get; }

    /// <summary>URL that serves exactly these bytes, or null.</summary>
    string? Url { get; }

    /// <summary>Where the file originally comes from (for the "how to get it" message).</summary>
    string Source { get; }
}
