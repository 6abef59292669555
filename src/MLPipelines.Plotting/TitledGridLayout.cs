using ScottPlot;

namespace MLPipelines.Plotting;

/// <summary>
/// Multiplot layout for a <see cref="MLPipelines.Reports.Plots.ChartGrid"/>: when there is a figure title, subplot 0 is a
/// strip of <see cref="TitleHeight"/> pixels across the top that shows it; the panels fill a rows × columns grid below.
/// </summary>
internal sealed class TitledGridLayout(int rows, int columns, bool hasTitle) : IMultiplotLayout
{
    public const float TitleHeight = 40;

    public PixelRect[] GetSubplotRectangles(SubplotCollection subplots, PixelRect figureRect)
    {
        var rectangles = new PixelRect[subplots.Count];
        float top = figureRect.Top;
        int first = 0;
        if (hasTitle)
        {
            rectangles[0] = new PixelRect(figureRect.Left, figureRect.Right, top + TitleHeight, top);
            top += TitleHeight;
            first = 1;
        }
        float cellWidth = figureRect.Width / columns;
        float cellHeight = (figureRect.Bottom - top) / rows;
        for (int i = first; i < rectangles.Length; i++)
        {
            int panel = i - first, row = panel / columns, column = panel % columns;
            float left = figureRect.Left + column * cellWidth, cellTop = top + row * cellHeight;
            rectangles[i] = new PixelRect(left, left + cellWidth, cellTop + cellHeight, cellTop);
        }
        return rectangles;
    }
}
