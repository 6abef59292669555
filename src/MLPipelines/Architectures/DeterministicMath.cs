namespace MLPipelines.Architectures;

/// <summary>
/// The logarithm, sine and cosine that <see cref="SeededRandom"/> needs for Box–Muller, written with IEEE-754 additions,
/// multiplications and divisions only. Those are correctly rounded everywhere, whereas <see cref="Math.Log(double)"/>,
/// <see cref="Math.Sin"/> and <see cref="Math.Cos"/> call the platform's C library, whose last bit may differ between glibc,
/// the Windows CRT and Apple's libm. With these, a seed gives bit-identical weights on every machine and .NET version.
/// (.NET never contracts <c>a*b+c</c> into a fused multiply-add on its own, so the order of operations here is the result.)
/// Accuracy is a few ulps, far more than sampling needs.
/// </summary>
internal static class DeterministicMath
{
    private const double Ln2 = 0.69314718055994530942;
    private const double HalfPi = 1.57079632679489661923;
    private const double Sqrt2 = 1.41421356237309504880;

    /// <summary>Natural logarithm of a positive, finite, normal <paramref name="x"/>.</summary>
    public static double Log(double x)
    {
        if (!(x > 0) || !double.IsFinite(x) || !double.IsNormal(x))
            throw new ArgumentOutOfRangeException(nameof(x), x, "DeterministicMath.Log needs a positive, finite, normal number");
        // x = m · 2^e with m in [1, 2), read from the bits (exact); then m in [√½, √2) so that s below stays small.
        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF) - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
        if (m > Sqrt2)
        {
            m *= 0.5;
            exponent++;
        }
        // ln m = 2·atanh(s) = 2·(s + s³/3 + s⁵/5 + …) with s = (m − 1)/(m + 1), |s| ≤ 0.172: s^23/23 < 1e-19.
        double s = (m - 1) / (m + 1), s2 = s * s;
        double series = 1.0 / 23;
        for (int k = 21; k >= 1; k -= 2)
            series = series * s2 + 1.0 / k;
        return exponent * Ln2 + 2 * s * series;
    }

    /// <summary>Sine and cosine of 2π·<paramref name="turns"/> for <paramref name="turns"/> in [0, 1).</summary>
    public static (double Sin, double Cos) SinCosTurns(double turns)
    {
        if (!(turns >= 0 && turns < 1))
            throw new ArgumentOutOfRangeException(nameof(turns), turns, "DeterministicMath.SinCosTurns needs a value in [0, 1)");
        // Quadrant reduction is exact: 4·turns only changes the exponent, and subtracting its integer part is exact.
        double quarterTurns = 4 * turns;
        int quadrant = (int)quarterTurns;
        double angle = (quarterTurns - quadrant) * HalfPi;   // in [0, π/2)
        double a2 = angle * angle;
        double sin = angle * SinOverAngle(a2), cos = CosSeries(a2);
        return quadrant switch
        {
            0 => (sin, cos),
            1 => (cos, -sin),
            2 => (-sin, -cos),
            _ => (-cos, sin),
        };
    }

    // sin(a)/a = 1 − a²/(2·3)·(1 − a²/(4·5)·(1 − …)), nested to a^20.
    private static double SinOverAngle(double a2)
    {
        double result = 1.0;
        for (int k = 20; k >= 2; k -= 2)
            result = 1.0 - a2 / (k * (k + 1)) * result;
        return result;
    }

    // cos(a) = 1 − a²/(1·2)·(1 − a²/(3·4)·(1 − …)), nested to a^22.
    private static double CosSeries(double a2)
    {
        double result = 1.0;
        for (int k = 21; k >= 1; k -= 2)
            result = 1.0 - a2 / (k * (k + 1)) * result;
        return result;
    }
}
