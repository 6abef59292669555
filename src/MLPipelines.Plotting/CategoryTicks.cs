using ScottPlot;

namespace MLPipelines.Plotting;

/// <summary>Text labels at given positions of an axis; bottom labels tilt when they would not fit side by side.</summary>
internal static class CategoryTicks
{
    public static void Set(IAxis axis, double[] positions, string[] labels, float availablePixels)
    {
        axis.SetTicks(positions, labels);
        axis.MajorTickStyle.Length = 0;
        axis.MinorTickStyle.Length = 0;
        if (axis.Edge != Edge.Bottom || labels.Length == 0)
            return;
        using var paint = Paint.NewDisposablePaint();
        float widest = labels.Max(label => axis.TickLabelStyle.Measure(label, paint).Size.Width);
        if (widest * labels.Length <= availablePixels * 0.85f)
            return;
        // Rising to the right and ending at its tick, each label reads as belonging to the column above it.
        axis.TickLabelStyle.Rotation = -45;
        axis.TickLabelStyle.Alignment = Alignment.MiddleRight;
        // Rotated labels hang below the axis; reserve their height so they are not clipped.
        axis.MinimumSize = widest * 0.72f + 20;
    }
}
