using MLPipelines.Reports.Plots;

namespace MLPipelines.Tests.Reports;

public class ChartGridTests
{
    private static LineChart Curve(string title, double rate) => new([
        LineSeries.Indexed("train", Enumerable.Range(0, 10).Select(e => Math.Exp(-rate * e)).ToArray()),
        LineSeries.Indexed("validation", Enumerable.Range(0, 10).Select(e => 0.1 + Math.Exp(-rate * e)).ToArray()),
    ])
    { Title = title, XLabel = "epoch", YLabel = "loss", Legend = LegendPlacement.UpperRight };

    [Fact]
    public void Two_by_two_grid_renders_at_the_requested_size()
    {
        var grid = new ChartGrid([Curve("photo → art", 0.3), Curve("photo → sketch", 0.2), Curve("art → cartoon", 0.4), Curve("cartoon → photo", 0.25)])
        {
            Title = "Training curves per domain pair",
        };

        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(grid, 1200, 840));

        Assert.Equal((1200, 840), (png.Width, png.Height));
        Assert.True(png.DistinctColorCount() > 50);
    }

    [Fact]
    public void Default_size_grows_with_the_panels()
    {
        var grid = new ChartGrid([Curve("a", 0.3), Curve("b", 0.3), Curve("c", 0.3)]) { Columns = 3 };

        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(grid));

        Assert.Equal((1800, 400), (png.Width, png.Height));
    }

    [Fact]
    public void Panels_of_different_kinds_share_one_image()
    {
        var range = new AxisRange(0, 1);
        var grid = new ChartGrid([
            new HeatmapChart([[0.1, 0.9], [0.5, 0.3]]) { Title = "layer 1", ValueRange = range, Colormap = HeatmapColormap.Turbo },
            new HeatmapChart([[0.7, 0.2], [0.4, 0.6]]) { Title = "layer 2", ValueRange = range, Colormap = HeatmapColormap.Turbo },
            new BarChart(["a", "b"], [new BarSeries("n", [1, 2])]),
        ]) { Columns = 3 };

        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(grid, 1200, 400));

        Assert.True(png.DistinctColorCount() > 50);
    }

    [Fact]
    public void An_invalid_panel_is_named_by_index()
    {
        var grid = new ChartGrid([Curve("a", 0.3), new LineChart([])]);

        var error = Assert.Throws<ArgumentException>(() => PlotRenderer.RenderPng(grid));

        Assert.Equal("Chart grid panel 1: Line chart has no series.", error.Message);
    }
}
