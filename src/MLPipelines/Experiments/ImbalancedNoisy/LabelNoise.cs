namespace MLPipelines.Experiments.ImbalancedNoisy;

/// <summary>One kind of injected label error: a fraction of the images of class <see cref="From"/> get the label <see cref="To"/>.</summary>
/// <param name="From">True class of the images to mislabel.</param>
/// <param name="To">The wrong label they get.</param>
/// <param name="Fraction">Fraction of <see cref="From"/>'s images mislabelled, in [0, 1]; round(fraction × n) images exactly.</param>
public sealed record NoiseRule(int From, int To, double Fraction);

/// <summary>
/// Labels after seeded noise injection: the labels a model trains on (<see cref="Given"/>) and the true ones kept aside for
/// scoring (<see cref="True"/>).
/// </summary>
public sealed class NoisyLabels
{
    internal NoisyLabels(int[] trueLabels, int[] given)
    {
        True = trueLabels;
        Given = given;
    }

    /// <summary>True class of each image.</summary>
    public IReadOnlyList<int> True { get; }

    /// <summary>Label of each image after injection (what training sees).</summary>
    public IReadOnlyList<int> Given { get; }

    /// <summary>Whether image <paramref name="index"/> carries a wrong label.</summary>
    public bool IsNoisy(int index) => True[index] != Given[index];

    /// <summary>Indices of the mislabelled images, ascending.</summary>
    public IReadOnlyList<int> NoisyIndices() => [.. Enumerable.Range(0, True.Count).Where(IsNoisy)];

    /// <summary>How many images of true class <paramref name="from"/> carry label <paramref name="to"/>.</summary>
    public int Count(int from, int to) => Enumerable.Range(0, True.Count).Count(i => True[i] == from && Given[i] == to);
}

/// <summary>
/// Seeded label-noise injection. For each rule, the images of its true class are shuffled with a generator seeded by
/// (seed, rule's classes) and the first round(fraction × n) get the wrong label, so the count is exact, the choice is
/// reproducible on every machine, and changing one rule's fraction never changes which images another rule picks.
/// </summary>
public static class LabelNoise
{
    /// <summary>Applies <paramref name="rules"/> to <paramref name="trueLabels"/> (labels in [0, <paramref name="classCount"/>)).</summary>
    public static NoisyLabels Inject(IReadOnlyList<int> trueLabels, IReadOnlyList<NoiseRule> rules, int classCount, int seed)
    {
        foreach (var rule in rules)
        {
            if (rule.From < 0 || rule.From >= classCount || rule.To < 0 || rule.To >= classCount)
                throw new ArgumentException($"noise rule {rule.From} → {rule.To}: classes must be in [0, {classCount})");
            if (rule.From == rule.To)
                throw new ArgumentException($"noise rule {rule.From} → {rule.To}: a label cannot be changed to itself");
            if (rule.Fraction is < 0 or > 1 || double.IsNaN(rule.Fraction))
                throw new ArgumentException($"noise rule {rule.From} → {rule.To}: fraction {rule.Fraction} is not in [0, 1]");
        }
        var fromClasses = rules.Select(r => r.From).ToList();
        if (fromClasses.Distinct().Count() != fromClasses.Count)
            throw new ArgumentException("two noise rules take images from the same class; give each true class at most one rule");
        var truth = trueLabels.ToArray();
        var given = trueLabels.ToArray();
        foreach (var rule in rules)
        {
            var members = Enumerable.Range(0, truth.Length).Where(i => truth[i] == rule.From).ToArray();
            new Random(RuleSeed(seed, rule)).Shuffle(members);
            int count = (int)Math.Round(rule.Fraction * members.Length, MidpointRounding.AwayFromZero);
            foreach (int i in members.Take(count)) given[i] = rule.To;
        }
        return new NoisyLabels(truth, given);
    }

    // A fixed mix (not HashCode.Combine, which changes between processes) so the same seed picks the same images everywhere.
    private static int RuleSeed(int seed, NoiseRule rule) => unchecked((int)((uint)seed * 2654435761u ^ (uint)(rule.From * 7919 + rule.To * 104729)));
}
