using SkiaSharp;

namespace MLPipelines.Tests.Reports;

/// <summary>
/// A rendered PNG decoded in the test's own context with SkiaSharp 2.88 (the plugin drew it with SkiaSharp 3), with the
/// pixel queries the plot tests need.
/// </summary>
internal sealed class RenderedPng : IDisposable
{
    private readonly SKBitmap _bitmap;

    private RenderedPng(SKBitmap bitmap) => _bitmap = bitmap;

    public static RenderedPng Decode(byte[] png) =>
        new(SKBitmap.Decode(png) ?? throw new InvalidDataException("The renderer's output is not a decodable PNG."));

    public static RenderedPng Load(string path) => Decode(File.ReadAllBytes(path));

    public int Width => _bitmap.Width;
    public int Height => _bitmap.Height;

    public SKColor this[int x, int y] => _bitmap.GetPixel(x, y);

    public int DistinctColorCount() => _bitmap.Pixels.Distinct().Count();

    /// <summary>Share of pixels that are not (near) white: 0 for a blank image.</summary>
    public double InkFraction() => _bitmap.Pixels.Count(p => p.Red < 240 || p.Green < 240 || p.Blue < 240) / (double)_bitmap.Pixels.Length;

    /// <summary>
    /// Runs of one colour (±2 per channel) at least <paramref name="minLength"/> pixels long along a line of pixels, in
    /// order, leaving out the pure white background: the cells a scan line crosses.
    /// </summary>
    public static List<SKColor> UniformRuns(IEnumerable<SKColor> line, int minLength)
    {
        var runs = new List<SKColor>();
        SKColor current = default;
        int length = 0;
        foreach (var pixel in line)
        {
            if (length > 0 && Near(pixel, current, 2))
            {
                length++;
                continue;
            }
            if (length >= minLength && !Near(current, SKColors.White, 1))
                runs.Add(current);
            current = pixel;
            length = 1;
        }
        if (length >= minLength && !Near(current, SKColors.White, 1))
            runs.Add(current);
        return runs;
    }

    public IEnumerable<SKColor> Row(int y) => Enumerable.Range(0, Width).Select(x => this[x, y]);
    public IEnumerable<SKColor> Column(int x) => Enumerable.Range(0, Height).Select(y => this[x, y]);

    public static bool Near(SKColor a, SKColor b, int tolerance) =>
        Math.Abs(a.Red - b.Red) <= tolerance && Math.Abs(a.Green - b.Green) <= tolerance && Math.Abs(a.Blue - b.Blue) <= tolerance;

    public static double Luminance(SKColor c) => 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;

    public void Dispose() => _bitmap.Dispose();
}
