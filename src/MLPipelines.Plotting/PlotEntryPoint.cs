using MLPipelines.Reports.Plots;

namespace MLPipelines.Plotting;

/// <summary>
/// The plugin's only entry point. MLPipelines calls it by reflection from the default load context, so its signature uses
/// framework types only: a JSON <see cref="PlotRequest"/> in, PNG bytes out. Writing the file is the caller's job.
/// </summary>
public static class PlotEntryPoint
{
    // ScottPlot keeps process-wide font and typeface caches; one render at a time keeps them consistent. Renders take
    // tens of milliseconds, so callers on several threads lose little.
    private static readonly Lock RenderLock = new();

    public static byte[] RenderPng(string requestJson)
    {
        var request = PlotJson.Deserialize(requestJson);
        if (request.Contract != PlotRequest.CurrentContract)
            throw new InvalidOperationException(
                $"The plotting plugin speaks plot contract {PlotRequest.CurrentContract} but was sent {request.Contract}: " +
                "its folder is stale; rebuild the application.");
        request.Figure.Validate();
        lock (RenderLock)
            return FigureRenderer.RenderPng(request.Figure, request.Width, request.Height);
    }
}
