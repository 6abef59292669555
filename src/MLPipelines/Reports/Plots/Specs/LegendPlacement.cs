namespace MLPipelines.Reports.Plots;

/// <summary>Where a chart's legend goes. Outside the data area it can never hide a curve, so that is the default.</summary>
public enum LegendPlacement
{
    OutsideRight,
    UpperRight,
    UpperLeft,
    LowerRight,
    LowerLeft,
    Hidden,
}
