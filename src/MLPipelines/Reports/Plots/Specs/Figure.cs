using System.Text.Json.Serialization;

namespace MLPipelines.Reports.Plots;

/// <summary>
/// Something <see cref="PlotRenderer"/> draws into one PNG: a single <see cref="Chart"/> or a <see cref="ChartGrid"/> of them.
/// </summary>
/// <remarks>
/// The specs are plain data. This folder is compiled into both MLPipelines and the isolated MLPipelines.Plotting plugin,
/// and a spec crosses between them as JSON, so everything here must stay serializable and free of other dependencies.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(LineChart), "line")]
[JsonDerivedType(typeof(HeatmapChart), "heatmap")]
[JsonDerivedType(typeof(ClassScatterChart), "scatter")]
[JsonDerivedType(typeof(BarChart), "bar")]
[JsonDerivedType(typeof(ChartGrid), "grid")]
public abstract record Figure
{
    /// <summary>Title drawn above the figure; none when null or empty.</summary>
    public string? Title { get; init; }

    /// <summary>Size used when the caller gives none.</summary>
    internal virtual (int Width, int Height) DefaultSize => (800, 500);

    /// <summary>"Heatmap 'Confusion matrix'", or just the kind when untitled: how error messages name the figure.</summary>
    internal string Named(string kind) => string.IsNullOrEmpty(Title) ? kind : $"{kind} '{Title}'";

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line message naming what is wrong.</summary>
    internal abstract void Validate();
}
