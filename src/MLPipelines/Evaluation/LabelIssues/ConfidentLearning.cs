namespace MLPipelines.Evaluation.LabelIssues;

/// <summary>How <see cref="ConfidentLearning"/> turns the confident joint into flagged examples.</summary>
public enum LabelIssueMethod
{
    /// <summary>Flag every example the confident joint counts off the diagonal (its confident class is not its given label).</summary>
    ConfidentJoint,

    /// <summary>
    /// Prune by noise rate: for every off-diagonal cell (given i, true j) of the calibrated joint, flag the round(Ĉ[i, j])
    /// examples labelled i with the largest margin p_j − p_i.
    /// </summary>
    PruneByNoiseRate,

    /// <summary>Flagged by both of the above.</summary>
    Both,
}

/// <summary>
/// Confident learning (Northcutt, Jiang and Chuang, "Confident Learning: Estimating Uncertainty in Dataset Labels", JAIR 2021),
/// the simple per-class-threshold version, on out-of-fold predicted probabilities:
/// <list type="number">
/// <item>t_j = mean of p_j over the examples labelled j (the model's average self-confidence for class j);</item>
/// <item>example x with given label i is confidently of class j when p_j(x) ≥ t_j; among several such classes the one with the
/// largest p_j is taken, and with none the example is not counted;</item>
/// <item>the confident joint C[i, j] counts the examples labelled i that are confidently j; it is calibrated so that row i sums to
/// the number of examples labelled i (Ĉ[i, j] = C[i, j] / Σ_j C[i, j] · n_i), which estimates how many labelled-i examples truly
/// belong to j;</item>
/// <item>flags follow <see cref="LabelIssueMethod"/>.</item>
/// </list>
/// A class nobody is labelled with gets threshold +∞ (nothing is confidently of it). Pure code, no model involved.
/// </summary>
public sealed class ConfidentLearning
{
    private readonly IReadOnlyList<float[]> _probabilities;
    private readonly IReadOnlyList<int> _given;

    private ConfidentLearning(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> given, double[] thresholds, int[] confidentClass, int[,] joint)
    {
        _probabilities = probabilities;
        _given = given;
        Thresholds = thresholds;
        ConfidentClass = confidentClass;
        Joint = joint;
    }

    /// <summary>Per-class thresholds t_j.</summary>
    public IReadOnlyList<double> Thresholds { get; }

    /// <summary>The class each example is confidently of, or −1 when no class reaches its threshold.</summary>
    public IReadOnlyList<int> ConfidentClass { get; }

    /// <summary>The confident joint C[given, confident class] (uncalibrated counts).</summary>
    public int[,] Joint { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount => Thresholds.Count;

    /// <summary>Computes thresholds and confident joint from <paramref name="probabilities"/>[i] (one value per class) and given labels.</summary>
    public static ConfidentLearning Compute(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> given, int classCount)
    {
        if (probabilities.Count != given.Count)
            throw new ArgumentException($"{probabilities.Count} probability rows for {given.Count} labels");
        for (int i = 0; i < given.Count; i++)
        {
            if (probabilities[i].Length != classCount)
                throw new ArgumentException($"probability row {i} has {probabilities[i].Length} values for {classCount} classes");
            if (given[i] < 0 || given[i] >= classCount)
                throw new ArgumentException($"label {given[i]} of example {i} is not a class in [0, {classCount})");
        }
        var sum = new double[classCount];
        var count = new int[classCount];
        for (int i = 0; i < given.Count; i++)
        {
            int label = given[i];
            sum[label] += probabilities[i][label];
            count[label]++;
        }
        var thresholds = Enumerable.Range(0, classCount).Select(j => count[j] == 0 ? double.PositiveInfinity : sum[j] / count[j]).ToArray();
        var confident = new int[given.Count];
        var joint = new int[classCount, classCount];
        for (int i = 0; i < given.Count; i++)
        {
            var p = probabilities[i];
            int best = -1;
            for (int j = 0; j < classCount; j++)
                if (p[j] >= thresholds[j] && (best < 0 || p[j] > p[best])) best = j;
            confident[i] = best;
            if (best >= 0) joint[given[i], best]++;
        }
        return new ConfidentLearning(probabilities, given, thresholds, confident, joint);
    }

    /// <summary>Ĉ: the joint with row i rescaled to the number of examples labelled i (a row with no confident example stays 0).</summary>
    public double[,] CalibratedJoint()
    {
        int k = ClassCount;
        var labelled = new int[k];
        foreach (int label in _given) labelled[label]++;
        var calibrated = new double[k, k];
        for (int i = 0; i < k; i++)
        {
            double row = Enumerable.Range(0, k).Sum(j => Joint[i, j]);
            if (row == 0) continue;
            for (int j = 0; j < k; j++) calibrated[i, j] = Joint[i, j] / row * labelled[i];
        }
        return calibrated;
    }

    /// <summary>Which examples look mislabelled under <paramref name="method"/>.</summary>
    public bool[] Flags(LabelIssueMethod method) => method switch
    {
        LabelIssueMethod.ConfidentJoint => OffDiagonal(),
        LabelIssueMethod.PruneByNoiseRate => PruneByNoiseRate(),
        LabelIssueMethod.Both => OffDiagonal().Zip(PruneByNoiseRate(), (a, b) => a && b).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown label-issue method"),
    };

    /// <summary>The class each example would be relabelled to: the arg-max of its probabilities.</summary>
    public int[] ArgMaxClasses() => [.. _probabilities.Select(p => ClassificationMetrics.ArgMax(p))];

    private bool[] OffDiagonal() => [.. Enumerable.Range(0, _given.Count).Select(i => ConfidentClass[i] >= 0 && ConfidentClass[i] != _given[i])];

    private bool[] PruneByNoiseRate()
    {
        int k = ClassCount;
        var calibrated = CalibratedJoint();
        var flags = new bool[_given.Count];
        for (int i = 0; i < k; i++)
        {
            var labelledI = Enumerable.Range(0, _given.Count).Where(x => _given[x] == i).ToList();
            for (int j = 0; j < k; j++)
            {
                if (i == j) continue;
                // At most all but one example of a class is pruned, so no class disappears.
                int prune = Math.Min((int)Math.Round(calibrated[i, j], MidpointRounding.AwayFromZero), Math.Max(labelledI.Count - 1, 0));
                if (prune == 0) continue;
                foreach (int x in labelledI.OrderByDescending(x => (double)_probabilities[x][j] - _probabilities[x][i]).ThenBy(x => x).Take(prune))
                    flags[x] = true;
            }
        }
        return flags;
    }
}
