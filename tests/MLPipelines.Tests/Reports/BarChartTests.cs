using MLPipelines.Reports.Plots;

namespace MLPipelines.Tests.Reports;

public class BarChartTests
{
    [Fact]
    public void Grouped_bars_with_errors_and_values_render()
    {
        var chart = new BarChart(["PACS photo", "PACS art", "PACS cartoon", "PACS sketch"],
        [
            new BarSeries("linear probe", [0.91, 0.72, 0.65, 0.41]) { Errors = [0.01, 0.03, 0.02, 0.05] },
            new BarSeries("prototypes", [0.88, 0.75, double.NaN, 0.47]),
            new BarSeries("fine-tune", [0.95, 0.81, 0.77, 0.52]),
        ])
        { Title = "Accuracy per method", YLabel = "accuracy", ShowValues = true, YRange = new AxisRange(0, 1.1) };

        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(chart, 900, 500));

        Assert.Equal((900, 500), (png.Width, png.Height));
        Assert.True(png.DistinctColorCount() > 30);
        Assert.InRange(png.InkFraction(), 0.05, 0.7);
    }

    [Fact]
    public void A_single_unnamed_series_draws_plain_bars()
    {
        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(new BarChart(["a", "b", "c"], [new BarSeries("", [3, 1, 2])])));

        Assert.True(png.DistinctColorCount() > 10);
    }

    [Fact]
    public void A_series_with_the_wrong_value_count_is_named()
    {
        var chart = new BarChart(["a", "b"], [new BarSeries("ResNet", [1, 2]), new BarSeries("ViT", [1, 2, 3])]);

        var error = Assert.Throws<ArgumentException>(() => PlotRenderer.RenderPng(chart));

        Assert.Equal("Bar series 'ViT' has 3 values for 2 categories.", error.Message);
    }
}
