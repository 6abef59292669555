using MLPipelines.Reports.Plots;
using SkiaSharp;

namespace MLPipelines.Tests.Reports;

public class HeatmapChartTests
{
    /// <summary>Cells are scanned along a line through the image centre, so no annotation may cover them.</summary>
    private static List<SKColor> CellsAlongRow(HeatmapChart chart)
    {
        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(chart, 800, 500));
        return RenderedPng.UniformRuns(png.Row(png.Height / 2), minLength: 40);
    }

    private static List<SKColor> CellsAlongColumn(HeatmapChart chart)
    {
        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(chart, 500, 800));
        return RenderedPng.UniformRuns(png.Column(png.Width / 3), minLength: 40);
    }

    [Fact]
    public void Cell_colours_follow_the_values_left_to_right()
    {
        double[] values = [30, 0, 40, 10, 20];
        var chart = new HeatmapChart([values]) { Colormap = HeatmapColormap.Viridis };

        var cells = CellsAlongRow(chart);

        // Viridis gets lighter from low (dark purple) to high (yellow).
        Assert.Equal(values.Length, cells.Count);
        var byValue = values.Select((value, column) => (value, luminance: RenderedPng.Luminance(cells[column]))).OrderBy(c => c.value).ToList();
        Assert.True(byValue.Zip(byValue.Skip(1)).All(pair => pair.First.luminance < pair.Second.luminance),
            "luminance by value: " + string.Join(", ", byValue.Select(c => $"{c.value}:{c.luminance:0}")));
        Assert.True(cells[2].Red > 200 && cells[2].Green > 200 && cells[2].Blue < 100, $"the highest cell is {cells[2]}, not yellow");
    }

    [Fact]
    public void Row_zero_is_at_the_top_and_blues_darken_with_value()
    {
        // The range starts below the smallest value: Blues' low end is the white of the background, which the scan skips.
        var chart = new HeatmapChart([[5], [1], [9], [3]]) { Colormap = HeatmapColormap.Blues, ValueRange = new AxisRange(0, 10) };

        var cells = CellsAlongColumn(chart);

        // Blues: high values dark blue, low values near white.
        Assert.Equal(4, cells.Count);
        double[] luminance = cells.Select(RenderedPng.Luminance).ToArray();
        Assert.True(luminance[2] < luminance[0] && luminance[0] < luminance[3] && luminance[3] < luminance[1],
            "luminance top to bottom: " + string.Join(", ", luminance.Select(l => l.ToString("0"))));
        Assert.True(cells[2].Blue > cells[2].Red + 50, $"the highest cell is {cells[2]}, not blue");
    }

    [Fact]
    public void A_shared_value_range_maps_equal_values_to_equal_colours()
    {
        var range = new AxisRange(0, 100);
        var low = new HeatmapChart([[10, 50]]) { ValueRange = range };
        var high = new HeatmapChart([[50, 90]]) { ValueRange = range };

        var lowCells = CellsAlongRow(low);
        var highCells = CellsAlongRow(high);

        Assert.True(RenderedPng.Near(lowCells[1], highCells[0], 3), $"50 is {lowCells[1]} in one map and {highCells[0]} in the other");
    }

    [Fact]
    public void Confusion_matrix_with_counts_and_percentages_renders()
    {
        var chart = HeatmapChart.ConfusionMatrix(new[,] { { 50, 2, 0 }, { 5, 40, 5 }, { 0, 10, 38 } }, ["cat", "dog", "horse"])
            with { Title = "Confusion matrix" };

        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(chart, 700, 600));

        Assert.Equal((700, 600), (png.Width, png.Height));
        Assert.True(png.DistinctColorCount() > 50);
        // White text on the dark top-left cell (50 of 52) shows the annotations are drawn with contrast.
        var cells = RenderedPng.UniformRuns(png.Row(png.Height / 2), minLength: 30);
        Assert.True(cells.Count >= 2, "no cells found along the middle row");
    }

    [Fact]
    public void NaN_cells_render_and_are_not_annotated()
    {
        var chart = new HeatmapChart([[1, double.NaN], [double.NaN, 4]]) { Annotation = CellAnnotation.Value };

        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(chart));

        Assert.True(png.DistinctColorCount() > 20);
    }

    [Fact]
    public void Ragged_rows_and_wrong_label_counts_are_named()
    {
        var ragged = Assert.Throws<ArgumentException>(() => PlotRenderer.RenderPng(new HeatmapChart([[1, 2], [3]])));
        var labels = Assert.Throws<ArgumentException>(() =>
            PlotRenderer.RenderPng(new HeatmapChart([[1, 2]]) { Title = "CM", ColumnLabels = ["a", "b", "c"] }));
        var empty = Assert.Throws<ArgumentException>(() => PlotRenderer.RenderPng(new HeatmapChart([])));

        Assert.Equal("Heatmap row 1 has 1 values but row 0 has 2.", ragged.Message);
        Assert.Equal("Heatmap 'CM' has 2 columns but 3 column labels.", labels.Message);
        Assert.Equal("Heatmap has no cells.", empty.Message);
    }
}
