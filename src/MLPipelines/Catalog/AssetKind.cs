namespace MLPipelines.Catalog;

/// <summary>The two kinds of input the catalog resolves; each has its own folder in every search location.</summary>
public enum AssetKind
{
    /// <summary>ONNX models and label files (<c>models/</c>).</summary>
    Models,

    /// <summary>Datasets (<c>datasets/</c>).</summary>
    Datasets,
}
