namespace MLPipelines.Reports.Plots;

/// <summary>Fixed axis limits, e.g. 0..1 for accuracy; on a log axis both must be positive.</summary>
public sealed record AxisRange(double Min, double Max)
{
    internal void Validate(string axisName, bool logScale)
    {
        if (!double.IsFinite(Min) || !double.IsFinite(Max) || Min >= Max)
            throw new ArgumentException($"{axisName} range {Min}..{Max} is invalid: both ends must be finite and Min < Max.");
        if (logScale && Min <= 0)
            throw new ArgumentException($"{axisName} range {Min}..{Max} is invalid on a log axis: both ends must be positive.");
    }
}
