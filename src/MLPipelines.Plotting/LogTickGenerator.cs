using ScottPlot;

namespace MLPipelines.Plotting;

/// <summary>
/// Ticks for an axis whose coordinates are log10 of the data (ScottPlot 5 has no log axis; plotting log10 values is its
/// documented way). Labels show the data values: decades over wide ranges, 1-2-5 steps within about a decade.
/// </summary>
internal sealed class LogTickGenerator : ITickGenerator
{
    public Tick[] Ticks { get; set; } = [];
    public int MaxTickCount { get; set; } = 10_000;

    public void Regenerate(CoordinateRange range, Edge edge, PixelLength size, Paint paint, LabelStyle labelStyle)
    {
        double low = range.Min, high = range.Max;
        if (!double.IsFinite(low) || !double.IsFinite(high) || high <= low)
        {
            Ticks = [];
            return;
        }
        var ticks = new List<Tick>();
        int firstDecade = (int)Math.Floor(low), lastDecade = (int)Math.Ceiling(high);
        double decades = high - low;
        // One labelled decade in 'step' keeps wide ranges (an LR sweep over 8 decades) readable.
        int step = Math.Max(1, (int)Math.Ceiling(decades / 8));
        int[] labelledMantissas = decades < 1.2 ? [1, 2, 5] : [1];
        for (int decade = firstDecade; decade <= lastDecade; decade++)
        {
            for (int mantissa = 1; mantissa <= 9; mantissa++)
            {
                double position = decade + Math.Log10(mantissa);
                if (position < low || position > high)
                    continue;
                bool major = labelledMantissas.Contains(mantissa) && (mantissa > 1 || decade % step == 0);
                ticks.Add(major ? new Tick(position, Format(mantissa, decade), true) : new Tick(position, "", false));
            }
        }
        Ticks = ticks.ToArray();
    }

    /// <summary>Plain numbers from 0.01 to 10 000, powers of ten beyond: 0.1, 1, 100, 10⁻⁵, 2×10⁶.</summary>
    internal static string Format(int mantissa, int decade)
    {
        if (decade is >= -2 and <= 4)
            return (mantissa * Math.Pow(10, decade)).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        string power = "10" + Superscript(decade);
        return mantissa == 1 ? power : $"{mantissa}×{power}";
    }

    private static string Superscript(int value) =>
        string.Concat(value.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => c switch
        {
            '-' => '⁻', '0' => '⁰', '1' => '¹', '2' => '²', '3' => '³', '4' => '⁴',
            '5' => '⁵', '6' => '⁶', '7' => '⁷', '8' => '⁸', _ => '⁹',
        }));
}
