using System.Text.Json.Serialization;

namespace MLPipelines.Reports.Plots;

/// <summary>One chart with its own axes; a <see cref="ChartGrid"/> panel.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(LineChart), "line")]
[JsonDerivedType(typeof(HeatmapChart), "heatmap")]
[JsonDerivedType(typeof(ClassScatterChart), "scatter")]
[JsonDerivedType(typeof(BarChart), "bar")]
public abstract record Chart : Figure;
