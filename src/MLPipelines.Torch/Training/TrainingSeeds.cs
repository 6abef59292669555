using MLPipelines.Architectures;

namespace MLPipelines.Torch.Training;

/// <summary>
/// Seeds derived from (run seed, purpose, epoch, index) with SplitMix64, so every random draw of a run depends only on what it
/// is for and never on thread timing or on how many draws happened before (which is what makes resuming exact).
/// </summary>
public static class TrainingSeeds
{
    /// <summary>A 32-bit seed for <paramref name="purpose"/> at (<paramref name="epoch"/>, <paramref name="index"/>).</summary>
    public static int Derive(int seed, string purpose, int epoch = 0, int index = 0)
    {
        ulong state = SeededRandom.Mix((ulong)(uint)seed ^ SeededRandom.Fnv1a64(purpose));
        state = SeededRandom.Mix(state ^ (ulong)(uint)epoch * 0x9E3779B97F4A7C15UL);
        state = SeededRandom.Mix(state ^ (ulong)(uint)index * 0xC2B2AE3D27D4EB4FUL);
        return (int)(state >> 33);
    }

    /// <summary>A generator for <paramref name="purpose"/> at (<paramref name="epoch"/>, <paramref name="index"/>).</summary>
    public static Random Random(int seed, string purpose, int epoch = 0, int index = 0) => new(Derive(seed, purpose, epoch, index));
}
