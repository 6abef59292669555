namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// Seeded Gamma and Beta draws: Beta(a, b) = X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b), Gamma by Marsaglia and Tsang's
/// squeeze method (2000), shapes below 1 boosted as Gamma(a + 1) · U^(1/a). Only the caller's <see cref="Random"/> is used.
/// </summary>
public static class BetaSampler
{
    /// <summary>A Beta(<paramref name="a"/>, <paramref name="b"/>) draw in [0, 1].</summary>
    public static double Beta(Random random, double a, double b)
    {
        double x = Gamma(random, a), y = Gamma(random, b);
        // Both can underflow to 0 for tiny shapes; the limit distribution then puts its mass on 0 and 1 equally.
        return x + y > 0 ? x / (x + y) : random.NextDouble() < a / (a + b) ? 1 : 0;
    }

    /// <summary>A Gamma(<paramref name="shape"/>, 1) draw.</summary>
    public static double Gamma(Random random, double shape)
    {
        if (!(shape > 0)) throw new ArgumentException($"gamma shape must be positive, got {shape}");
        if (shape < 1)
        {
            double u = 1.0 - random.NextDouble();
            return Gamma(random, shape + 1) * Math.Pow(u, 1.0 / shape);
        }
        double d = shape - 1.0 / 3.0, c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = random.Normal();
                v = 1.0 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = 1.0 - random.NextDouble();
            if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
            if (Math.Log(u) < 0.5 * x * x + d * (1.0 - v + Math.Log(v))) return d * v;
        }
    }
}
