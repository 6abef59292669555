using MLPipelines.Imaging.Augmentation;

namespace MLPipelines.Experiments.Circles;

/// <summary>
/// The two-circles toy dataset (as scikit-learn's <c>make_circles</c>): half the points evenly spaced on the unit circle
/// (class 0), half on a circle of radius <c>factor</c> (class 1), each coordinate plus Gaussian noise of std <c>noise</c>,
/// then shuffled. No line separates the classes, which is the point of the experiment.
/// </summary>
public sealed class TwoCircles
{
    private TwoCircles(double[][] points, int[] labels)
    {
        Points = points;
        Labels = labels;
    }

    /// <summary>Class names: the outer circle is class 0.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["outer", "inner"];

    /// <summary>The 2-D points, one [x, y] per sample.</summary>
    public double[][] Points { get; }

    /// <summary>0 for the outer circle, 1 for the inner one.</summary>
    public int[] Labels { get; }

    /// <summary>Number of points.</summary>
    public int Count => Labels.Length;

    /// <summary>Generates <paramref name="samples"/> points; the same arguments always give the same points.</summary>
    public static TwoCircles Generate(int samples, double noise, double factor, int seed)
    {
        if (samples < 2) throw new ArgumentException($"two circles need at least 2 samples, got {samples}");
        if (!(noise >= 0)) throw new ArgumentException($"noise must be ≥ 0, got {noise}");
        if (!(factor is > 0 and < 1)) throw new ArgumentException($"factor (inner radius) must be in (0, 1), got {factor}");
        var random = new Random(seed);
        int outer = samples / 2, inner = samples - outer;
        var points = new List<(double[] Point, int Label)>(samples);
        foreach (var (count, radius, label) in new[] { (outer, 1.0, 0), (inner, factor, 1) })
            for (int i = 0; i < count; i++)
            {
                double angle = 2 * Math.PI * i / count;
                points.Add(([radius * Math.Cos(angle), radius * Math.Sin(angle)], label));
            }
        foreach (var (point, _) in points)
        {
            point[0] += noise * random.Normal();
            point[1] += noise * random.Normal();
        }
        var shuffled = points.ToArray();
        random.Shuffle(shuffled);
        return new TwoCircles([.. shuffled.Select(p => p.Point)], [.. shuffled.Select(p => p.Label)]);
    }
}
