using MLPipelines.Reports.Plots;
using SkiaSharp;

namespace MLPipelines.Tests.Reports;

public class LineChartTests
{
    /// <summary>Category10's first colour, which the first series gets.</summary>
    private static readonly SKColor FirstSeriesColor = new(0x1f, 0x77, 0xb4);

    private static LineChart TrainingCurves() => new([
        LineSeries.Indexed("lr=0.1", [2.3, 1.1, 0.9, 0.85, 0.84]),
        LineSeries.Indexed("lr=0.01", [2.3, 1.6, 1.2, 0.95, 0.8]),
        LineSeries.Indexed("lr=0.001", [2.3, 2.1, 1.9, 1.75, 1.6]),
    ])
    {
        Title = "Training loss",
        XLabel = "epoch",
        YLabel = "loss",
        ShowMarkers = true,
    };

    [Fact]
    public void Renders_a_png_of_the_requested_size_with_content()
    {
        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(TrainingCurves(), 640, 420));

        Assert.Equal(640, png.Width);
        Assert.Equal(420, png.Height);
        Assert.True(png.DistinctColorCount() > 20, $"only {png.DistinctColorCount()} colours");
        Assert.InRange(png.InkFraction(), 0.01, 0.5);
    }

    [Fact]
    public void Default_size_is_800_by_500()
    {
        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(TrainingCurves()));

        Assert.Equal((800, 500), (png.Width, png.Height));
    }

    [Fact]
    public void Log_x_spaces_decades_evenly()
    {
        // y = log10(x): a straight diagonal on a log x axis, but a near-vertical rise at the left on a linear one.
        // NaN, zero and negative x cannot be shown on a log axis and must be skipped, not crash.
        double[] x = [1e-6, 1e-5, 1e-4, double.NaN, 1e-3, 0, 1e-2, -1, 1e-1, 1];
        double[] y = x.Select(v => v > 0 ? Math.Log10(v) : 0).ToArray();
        var chart = new LineChart([new LineSeries("loss", x, y)]) { LogX = true, Legend = LegendPlacement.Hidden };

        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(chart, 800, 500));

        var line = Enumerable.Range(0, png.Width)
            .SelectMany(px => Enumerable.Range(0, png.Height).Where(py => RenderedPng.Near(png[px, py], FirstSeriesColor, 40)).Select(py => (px, py)))
            .ToList();
        Assert.NotEmpty(line);
        int left = line.Min(p => p.px), right = line.Max(p => p.px), top = line.Min(p => p.py), bottom = line.Max(p => p.py);
        int middle = (left + right) / 2;
        double middleY = line.Where(p => Math.Abs(p.px - middle) <= 1).Average(p => p.py);
        double heightFraction = (bottom - middleY) / (bottom - top);
        Assert.InRange(heightFraction, 0.4, 0.6);
    }

    [Fact]
    public void Mean_and_std_as_band_and_as_error_bars_render()
    {
        double[] samplesPerClass = [1, 2, 5, 10, 20, 50];
        var runs = samplesPerClass.Select(n => (IReadOnlyList<double>)[0.3 + 0.1 * Math.Log10(n), 0.35 + 0.1 * Math.Log10(n), double.NaN]).ToArray();
        var series = LineSeries.FromRuns("prototypes", samplesPerClass, runs);
        Assert.Equal(0.325, series.Y[0], 9);
        Assert.Equal(Math.Sqrt(0.00125), series.Error![0], 9);

        foreach (var display in new[] { ErrorDisplay.Band, ErrorDisplay.Bars })
        {
            var chart = new LineChart([series]) { LogX = true, ErrorDisplay = display, YRange = new AxisRange(0, 1), ShowMarkers = true };
            using var png = RenderedPng.Decode(PlotRenderer.RenderPng(chart));
            Assert.True(png.DistinctColorCount() > 20);
        }
    }

    [Fact]
    public void NaN_points_are_skipped()
    {
        var chart = new LineChart([new LineSeries("accuracy", [1, 2, 3, 4], [0.5, double.NaN, 0.7, double.PositiveInfinity])]);

        using var png = RenderedPng.Decode(PlotRenderer.RenderPng(chart));

        Assert.True(png.DistinctColorCount() > 20);
    }

    [Fact]
    public void Mismatched_lengths_name_the_series()
    {
        var chart = new LineChart([LineSeries.Indexed("ok", [1, 2]), new LineSeries("lr=0.1", [1, 2, 3], [0.5, 0.4])]);

        var error = Assert.Throws<ArgumentException>(() => PlotRenderer.RenderPng(chart));

        Assert.Equal("Series 'lr=0.1' has 3 x values but 2 y values.", error.Message);
    }

    [Fact]
    public void Empty_input_is_rejected_in_one_line()
    {
        var noSeries = Assert.Throws<ArgumentException>(() => PlotRenderer.RenderPng(new LineChart([]) { Title = "Loss" }));
        var emptySeries = Assert.Throws<ArgumentException>(() => PlotRenderer.RenderPng(new LineChart([new LineSeries("a", [], [])])));
        var badError = Assert.Throws<ArgumentException>(() =>
            PlotRenderer.RenderPng(new LineChart([new LineSeries("a", [1, 2], [1, 2]) { Error = [0.1] }])));

        Assert.Equal("Line chart 'Loss' has no series.", noSeries.Message);
        Assert.Equal("Series 'a' is empty.", emptySeries.Message);
        Assert.Equal("Series 'a' has 1 error values but 2 points.", badError.Message);
    }

    [Fact]
    public void A_log_axis_range_must_be_positive()
    {
        var chart = new LineChart([LineSeries.Indexed("a", [1, 2])]) { LogY = true, YRange = new AxisRange(0, 1) };

        var error = Assert.Throws<ArgumentException>(() => PlotRenderer.RenderPng(chart));

        Assert.Contains("log axis", error.Message);
    }
}
