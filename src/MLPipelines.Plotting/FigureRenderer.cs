using MLPipelines.Reports.Plots;
using ScottPlot;

namespace MLPipelines.Plotting;

/// <summary>Turns a validated <see cref="Figure"/> into PNG bytes with ScottPlot.</summary>
internal static class FigureRenderer
{
    public static byte[] RenderPng(Figure figure, int width, int height) => figure switch
    {
        Chart chart => RenderChart(chart, width, height),
        ChartGrid grid => RenderGrid(grid, width, height),
        _ => throw new ArgumentException($"Unknown figure type {figure.GetType().Name}."),
    };

    private static byte[] RenderChart(Chart chart, int width, int height)
    {
        using var plot = PlotTheme.NewPlot();
        Draw(plot, chart, new PixelSize(width, height));
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static byte[] RenderGrid(ChartGrid grid, int width, int height)
    {
        bool hasTitle = !string.IsNullOrEmpty(grid.Title);
        int rows = (grid.Panels.Count + grid.Columns - 1) / grid.Columns;
        var panelSize = new PixelSize(width / (float)grid.Columns, (height - (hasTitle ? TitledGridLayout.TitleHeight : 0)) / rows);

        var plots = new List<Plot>();
        if (hasTitle)
            plots.Add(TitleStrip(grid.Title!));
        foreach (var panel in grid.Panels)
        {
            var plot = PlotTheme.NewPlot();
            Draw(plot, panel, panelSize);
            plots.Add(plot);
        }
        try
        {
            var multiplot = new Multiplot(plots[0]);
            foreach (var plot in plots.Skip(1))
                multiplot.AddPlot(plot);
            multiplot.Layout = new TitledGridLayout(rows, grid.Columns, hasTitle);
            using var image = multiplot.Render(width, height);
            return image.GetImageBytes(ImageFormat.Png);
        }
        finally
        {
            foreach (var plot in plots)
                plot.Dispose();
        }
    }

    /// <summary>A plot showing nothing but centred bold text: the overall title of a grid.</summary>
    private static Plot TitleStrip(string title)
    {
        var plot = PlotTheme.NewPlot();
        plot.HideAxesAndGrid();
        plot.Layout.Frameless();
        var text = plot.Add.Annotation(title, Alignment.MiddleCenter);
        text.LabelFontSize = PlotTheme.TitleFontSize + 2;
        text.LabelBold = true;
        text.LabelBackgroundColor = Colors.Transparent;
        text.LabelBorderWidth = 0;
        text.LabelShadowColor = Colors.Transparent;
        return plot;
    }

    private static void Draw(Plot plot, Chart chart, PixelSize size)
    {
        switch (chart)
        {
            case LineChart line:
                LineChartPlotter.Draw(plot, line);
                break;
            case HeatmapChart heatmap:
                HeatmapPlotter.Draw(plot, heatmap, size);
                break;
            case ClassScatterChart scatter:
                ClassScatterPlotter.Draw(plot, scatter);
                break;
            case BarChart bar:
                BarChartPlotter.Draw(plot, bar, size);
                break;
            default:
                throw new ArgumentException($"Unknown chart type {chart.GetType().Name}.");
        }
    }
}
