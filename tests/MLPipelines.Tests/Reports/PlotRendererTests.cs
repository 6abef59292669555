using MLPipelines.Reports.Plots;

namespace MLPipelines.Tests.Reports;

public sealed class PlotRendererTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlpipelines-plots-").FullName;

    private static readonly LineChart Chart = new([LineSeries.Indexed("accuracy", [0.5, 0.7, 0.8])]) { Title = "Accuracy" };

    [Fact]
    public void Save_writes_the_png_and_leaves_no_temporary_file()
    {
        string path = Path.Combine(_folder, "nested", "accuracy.png");

        PlotRenderer.Save(Chart, path, 320, 240);

        using var png = RenderedPng.Load(path);
        Assert.Equal((320, 240), (png.Width, png.Height));
        Assert.Equal(["accuracy.png"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Concurrent_saves_to_one_path_leave_one_complete_png()
    {
        string path = Path.Combine(_folder, "shared.png");
        File.WriteAllText(path, "an older, different file");

        Parallel.For(0, 8, i => PlotRenderer.Save(Chart with { Title = $"run {i}" }, path, 400 + i, 300));

        using var png = RenderedPng.Load(path);
        Assert.InRange(png.Width, 400, 407);
        Assert.Equal(["shared.png"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Invalid_input_writes_nothing()
    {
        string path = Path.Combine(_folder, "bad.png");

        Assert.Throws<ArgumentException>(() => PlotRenderer.Save(new LineChart([]), path));

        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public void Sizes_out_of_range_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => PlotRenderer.RenderPng(Chart, 0, 500));

        Assert.Equal("Plot size 0×500 is invalid; width and height must be 16..16384 pixels.", error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
