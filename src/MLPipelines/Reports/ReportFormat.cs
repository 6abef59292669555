using System.Globalization;

namespace MLPipelines.Reports;

/// <summary>Number formats shared by every report, so tables line up and read the same everywhere.</summary>
public static class ReportFormat
{
    public static string Percent(double value) => double.IsNaN(value) ? "—" : (100 * value).ToString("0.0", CultureInfo.InvariantCulture) + "%";
    public static string Number(double value, string format = "0.000") => double.IsNaN(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan time) => time.TotalSeconds < 60
        ? time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : $"{(int)time.TotalMinutes} min {time.Seconds:00} s";

    /// <summary>A relative path with forward slashes, as Markdown links need on every platform.</summary>
    public static string Link(string relativePath) => relativePath.Replace('\\', '/').Replace(" ", "%20");
}
