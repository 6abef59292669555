namespace MLPipelines.Reports.Plots;

/// <summary>
/// Draws figures to PNG with ScottPlot. Safe to call from several threads; the ScottPlot plugin is loaded into its own
/// AssemblyLoadContext on first use (ScottPlot needs SkiaSharp 3, ML.NET's image transforms SkiaSharp 2.88; see
/// docs/plotting.md).
/// </summary>
/// <example>
/// <code>
/// PlotRenderer.Save(new LineChart([LineSeries.Indexed("lr=0.01", losses)]) { Title = "Loss", XLabel = "epoch" }, "loss.png");
/// PlotRenderer.Save(HeatmapChart.ConfusionMatrix(counts, classNames) with { Title = "Validation" }, "confusion.png", 700, 600);
/// </code>
/// </example>
public static class PlotRenderer
{
    /// <summary>
    /// Renders <paramref name="figure"/> and writes it to <paramref name="pngPath"/> atomically (a temporary file in the
    /// same folder, then a rename), creating the folder if needed. Width and height are in pixels; when omitted, 800×500
    /// for a chart and about 600×400 per panel for a grid.
    /// </summary>
    /// <exception cref="ArgumentException">The figure is invalid (empty, mismatched lengths, ...) or the size is out of range.</exception>
    public static void Save(Figure figure, string pngPath, int? width = null, int? height = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(pngPath);
        MLPipelines.AtomicFile.WriteAllBytes(pngPath, RenderPng(figure, width, height));
    }

    /// <summary>Renders <paramref name="figure"/> to PNG bytes, e.g. to embed in an HTML report. Sizes as in <see cref="Save"/>.</summary>
    /// <exception cref="ArgumentException">The figure is invalid or the size is out of range.</exception>
    public static byte[] RenderPng(Figure figure, int? width = null, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(figure);
        figure.Validate();
        var (defaultWidth, defaultHeight) = figure.DefaultSize;
        int w = width ?? defaultWidth, h = height ?? defaultHeight;
        if (w is < PlotRequest.MinSize or > PlotRequest.MaxSize || h is < PlotRequest.MinSize or > PlotRequest.MaxSize)
            throw new ArgumentException(
                $"Plot size {w}×{h} is invalid; width and height must be {PlotRequest.MinSize}..{PlotRequest.MaxSize} pixels.");
        var request = new PlotRequest(figure, w, h, PlotRequest.CurrentContract);
        return PlottingPlugin.Instance.RenderPng(PlotJson.Serialize(request));
    }

    /// <summary>How long loading the plugin took in this process (zero before the first render); for diagnostics.</summary>
    public static TimeSpan PluginLoadTime => PlottingPlugin.IsLoaded ? PlottingPlugin.Instance.LoadTime : TimeSpan.Zero;
}
