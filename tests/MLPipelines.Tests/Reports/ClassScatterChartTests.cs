using MLPipelines.Reports.Plots;

namespace MLPipelines.Tests.Reports;

public class ClassScatterChartTests
{
    private static ClassScatterChart TwoMoons(DecisionRegions? regions)
    {
        var random = new Random(7);
        int n = 60;
        var classes = Enumerable.Range(0, n).Select(i => i % 2).ToArray();
        var x = classes.Select(c => (c == 0 ? -1 : 1) + random.NextDouble() - 0.5).ToArray();
        var y = classes.Select(c => random.NextDouble() * 2 - 1).ToArray();
        return new ClassScatterChart(x, y, classes, ["cat", "dog"]) { Title = "Decision boundary", XLabel = "z1", YLabel = "z2", Regions = regions };
    }

    [Fact]
    public void Points_over_decision_regions_render()
    {
        var regions = DecisionRegions.Sample((x, y) => x + 0.3 * y > 0 ? 1 : 0, -2, 2, -1.5, 1.5, columns: 120, rows: 90);

        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(TwoMoons(regions), 700, 500));

        Assert.Equal((700, 500), (png.Width, png.Height));
        Assert.True(png.DistinctColorCount() > 30);
    }

    [Fact]
    public void Region_row_zero_is_at_the_bottom()
    {
        // Class 0 (blue) in the bottom row, class 1 (orange) in the top row; no points to cover the scan line.
        var regions = new DecisionRegions([[0], [1]], 0, 1, 0, 1);
        var chart = new ClassScatterChart([], [], [], ["blue", "orange"]) { Regions = regions, Legend = LegendPlacement.Hidden };

        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(chart, 500, 500));
        var bands = RenderedPng.UniformRuns(png.Column(png.Width / 2), minLength: 40);

        Assert.Equal(2, bands.Count);
        Assert.True(bands[0].Red > bands[0].Blue, $"top band {bands[0]} is not orange-ish");
        Assert.True(bands[1].Blue > bands[1].Red, $"bottom band {bands[1]} is not blue-ish");
    }

    [Fact]
    public void Out_of_range_classes_and_mismatched_lengths_are_rejected()
    {
        var badClass = Assert.Throws<ArgumentException>(() => PlotRenderer.RenderPng(new ClassScatterChart([0, 1], [0, 1], [0, 2], ["a", "b"])));
        var lengths = Assert.Throws<ArgumentException>(() => PlotRenderer.RenderPng(new ClassScatterChart([0, 1], [0], [0, 1], ["a", "b"])));
        var region = Assert.Throws<ArgumentException>(() =>
            PlotRenderer.RenderPng(new ClassScatterChart([0], [0], [0], ["a"]) { Regions = new DecisionRegions([[0, 3]], 0, 1, 0, 1) }));

        Assert.Equal("Scatter point 1 has class 2 but there are 2 class names.", badClass.Message);
        Assert.Equal("Scatter has 2 x values, 1 y values and 2 classes; all must match.", lengths.Message);
        Assert.Equal("Decision region row 0 predicts class 3 but there are 1 class names.", region.Message);
    }
}
