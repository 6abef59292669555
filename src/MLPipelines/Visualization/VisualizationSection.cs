namespace MLPipelines.Visualization;

/// <summary>A titled part of a visualization report: Markdown whose image links are relative to the report folder.</summary>
public sealed record VisualizationSection(string Title, string Markdown);
