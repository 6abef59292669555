namespace MLPipelines.Reports.Plots;

/// <summary>Text written in each heatmap cell.</summary>
public enum CellAnnotation
{
    None,

    /// <summary>The cell value, formatted with <see cref="HeatmapChart.ValueFormat"/>.</summary>
    Value,

    /// <summary>The cell's share of its row total (for a confusion matrix with actual classes as rows: recall).</summary>
    RowPercent,

    /// <summary>The value and, below it, the row percentage (left out for zero cells).</summary>
    ValueAndRowPercent,
}
