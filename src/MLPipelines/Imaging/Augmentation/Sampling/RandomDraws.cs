namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// The random draws augmentations make, all from the caller's seeded <see cref="Random"/> so that a seed reproduces every
/// image bit for bit. Names follow the torch calls they replace.
/// </summary>
public static class RandomDraws
{
    /// <summary>Uniform in [<paramref name="low"/>, <paramref name="high"/>) (torch's <c>uniform_</c>).</summary>
    public static double Uniform(this Random random, double low, double high) => low + (high - low) * random.NextDouble();

    /// <summary>True with probability <paramref name="p"/> (torchvision's <c>torch.rand(1) &lt; p</c>).</summary>
    public static bool Chance(this Random random, double p) => random.NextDouble() < p;

    /// <summary>A standard normal value (Box–Muller; one of the pair is discarded so each call uses exactly two uniforms).</summary>
    public static double Normal(this Random random)
    {
        double u1 = 1.0 - random.NextDouble(); // (0, 1]: the logarithm stays finite
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
