using MLPipelines.Reports.Plots;

namespace MLPipelines.Tests.Reports;

public class PlottingPluginTests
{
    [Fact]
    public void The_build_puts_the_plugin_in_the_plotting_folder_of_the_test_output()
    {
        string plugin = PlottingPlugin.Locate(AppContext.BaseDirectory);

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "plotting", "MLPipelines.Plotting.dll"), plugin);
        Assert.True(File.Exists(Path.ChangeExtension(plugin, ".deps.json")));
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "ScottPlot.dll")), "ScottPlot leaked into the output root");
    }

    [Fact]
    public void A_missing_plugin_folder_is_reported_with_where_it_was_looked_for()
    {
        string empty = Directory.CreateTempSubdirectory("mlpipelines-no-plugin-").FullName;
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => PlottingPlugin.Locate(empty));

            Assert.Contains(Path.Combine(empty, "plotting", "MLPipelines.Plotting.dll"), error.Message);
            Assert.Contains("build/Plotting.targets", error.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void The_plugin_loads_once_and_reports_its_load_time()
    {
        PlotRenderer.RenderPng(new BarChart(["a"], [new BarSeries("", [1])]), 100, 100);
        var first = PlottingPlugin.Instance;
        PlotRenderer.RenderPng(new BarChart(["b"], [new BarSeries("", [2])]), 100, 100);

        Assert.Same(first, PlottingPlugin.Instance);
        Assert.True(PlotRenderer.PluginLoadTime > TimeSpan.Zero);
    }
}
