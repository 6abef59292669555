namespace MLPipelines.Imaging.Augmentation;

/// <summary>How pixels outside the image are made up when padding (torchvision's <c>padding_mode</c>).</summary>
public enum PaddingMode
{
    /// <summary>A constant fill value.</summary>
    Constant,

    /// <summary>The nearest edge pixel repeated.</summary>
    Edge,

    /// <summary>Mirrored without repeating the edge pixel: 2 1 | 0 1 2 3 | 2 1.</summary>
    Reflect,

    /// <summary>Mirrored repeating the edge pixel: 1 0 | 0 1 2 3 | 3 2.</summary>
    Symmetric,
}
