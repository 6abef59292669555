using System.Text;

namespace MLPipelines.Architectures;

/// <summary>
/// The random numbers behind every built-in architecture's initial weights. It is part of the reproducibility contract, so
/// the whole algorithm is written down here instead of relying on <see cref="Random"/>, whose algorithm .NET may change:
/// <list type="bullet">
/// <item><b>Generator</b>: SplitMix64 (Steele, Lea and Flood, 2014; the reference code Vigna publishes with xoshiro):
/// <c>state += 0x9E3779B97F4A7C15</c>, then the output is <see cref="Mix"/>(state).</item>
/// <item><b>One stream per tensor</b>: the tensor called <c>name</c> draws from a generator whose state starts at
/// <c>Mix(seed XOR FNV-1a-64(UTF-8 name))</c>. A tensor's values depend only on the seed, its name and its shape, so adding
/// or reordering layers leaves every other tensor's values unchanged.</item>
/// <item><b>Uniform</b> [0, 1): the top 53 bits of the next output times 2⁻⁵³.</item>
/// <item><b>Normal</b>: Box–Muller on two uniforms u₁, u₂: r = √(−2 ln(1 − u₁)), values r·cos 2πu₂ then r·sin 2πu₂, with
/// the logarithm and trigonometry of <see cref="DeterministicMath"/> (IEEE arithmetic only), so results are bit-identical
/// on every platform.</item>
/// <item>Values are computed in double precision and rounded to float once, at the end.</item>
/// </list>
/// </summary>
public sealed class SeededRandom
{
    private ulong _state;
    private double? _spareNormal;

    /// <summary>A generator whose state starts at <paramref name="state"/>.</summary>
    public SeededRandom(ulong state) => _state = state;

    /// <summary>The generator for the tensor called <paramref name="tensorName"/> under <paramref name="seed"/>.</summary>
    public static SeededRandom ForTensor(ulong seed, string tensorName) => new(Mix(seed ^ Fnv1a64(tensorName)));

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A uniform value in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal value (mean 0, standard deviation 1).</summary>
    public double NextNormal()
    {
        if (_spareNormal is { } spare)
        {
            _spareNormal = null;
            return spare;
        }
        double u1 = 1.0 - NextDouble();   // in (0, 1], so the logarithm is finite
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * DeterministicMath.Log(u1));   // Math.Sqrt is correctly rounded everywhere
        var (sin, cos) = DeterministicMath.SinCosTurns(u2);
        _spareNormal = radius * sin;
        return radius * cos;
    }

    /// <summary>The SplitMix64 output function (a bijective 64-bit mixer).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>64-bit FNV-1a of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Fnv1a64(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }
        return hash;
    }
}
