namespace MLPipelines.Reports.Plots;

/// <summary>Colormaps for heatmaps, each from low values to high values.</summary>
public enum HeatmapColormap
{
    /// <summary>Dark purple → yellow; perceptually uniform, readable in grayscale.</summary>
    Viridis,

    /// <summary>White → dark blue; the usual confusion-matrix look.</summary>
    Blues,

    /// <summary>Black → pale yellow.</summary>
    Magma,

    /// <summary>Black → bright yellow.</summary>
    Inferno,

    /// <summary>Dark blue → dark red rainbow; for activation maps.</summary>
    Turbo,

    /// <summary>Black → white.</summary>
    Grayscale,
}
