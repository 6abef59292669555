using System.Globalization;

namespace MLPipelines.Diagnostics;

/// <summary>
/// The machine's load average (runnable processes, Linux /proc/loadavg). Timings are recorded next to it because other jobs
/// on a small shared machine change them several-fold.
/// </summary>
public static class LoadAverage
{
    /// <summary>The 1-minute load average, or null where /proc/loadavg does not exist.</summary>
    public static double? OneMinute()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path)) return null;
        string first = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return double.Parse(first, CultureInfo.InvariantCulture);
    }
}
