namespace MLPipelines.Evaluation.LabelIssues;

/// <summary>
/// Confident learning (Northcutt, Jiang and Chuang, "Confident Learning: Estimating Uncertainty in Dataset Labels", JAIR 2021) on
/// out-of-fold predicted probabilities, following cleanlab's <c>count.compute_confident_joint</c> and
/// <c>filter.find_label_issues</c> (cleanlab 2.x) step by step:
/// <list type="number">
/// <item>t_j = mean of p_j over the examples labelled j (the model's average self-confidence for class j);</item>
/// <item>class j is confident for example x when p_j(x) ≥ t_j − 1e-6; with one confident class that class is x's guessed true
/// class, with several the arg-max of p(x) (cleanlab's rule, even if the arg-max itself is below its threshold), with none x is
/// not counted;</item>
/// <item>the confident joint C[i, j] counts the examples labelled i guessed j;</item>
/// <item>calibration: every diagonal cell is raised to at least 1, row i is rescaled to the n_i examples labelled i, and rows are
/// rounded preserving their totals (<see cref="RowTotalRounding"/>); Ĉ[i, j] estimates how many labelled-i examples are truly j;</item>
/// <item>prune counts: Ĉ with, in every given class, the diagonal raised to at least one kept example and the raise taken evenly
/// from that class's non-zero off-diagonal cells (cleanlab's <c>_keep_at_least_n_per_class</c>, n = 1, then truncated to
/// integers);</item>
/// <item>flags follow <see cref="LabelIssueMethod"/>; last, an example whose arg-max class equals its given label is unflagged.</item>
/// </list>
/// A class nobody is labelled with gets threshold +∞ (nothing is confidently of it). Pure code, no model involved.
/// </summary>
public sealed class ConfidentLearning
{
    // cleanlab compares p ≥ t − 1e-6 so that an example exactly at the mean counts despite float rounding.
    private const double ThresholdTolerance = 1e-6;

    // cleanlab's min_examples_per_class: a class with this many labelled examples or fewer is never pruned.
    private const int MinExamplesPerClass = 1;

    private readonly IReadOnlyList<float[]> _probabilities;
    private readonly IReadOnlyList<int> _given;
    private readonly int[] _labelled;
    private readonly int[] _argMax;

    private ConfidentLearning(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> given, double[] thresholds, int[] confidentClass, int[,] joint, int[] labelled)
    {
        _probabilities = probabilities;
        _given = given;
        _labelled = labelled;
        _argMax = [.. probabilities.Select(p => ClassificationMetrics.ArgMax(p))];
        Thresholds = thresholds;
        ConfidentClass = confidentClass;
        Joint = joint;
    }

    /// <summary>Per-class thresholds t_j.</summary>
    public IReadOnlyList<double> Thresholds { get; }

    /// <summary>The class each example is confidently of (its guessed true class), or −1 when no class reaches its threshold.</summary>
    public IReadOnlyList<int> ConfidentClass { get; }

    /// <summary>The confident joint C[given, guessed class] (raw counts, before calibration).</summary>
    public int[,] Joint { get; }

    /// <summary>The given labels the thresholds and joint were computed with.</summary>
    public IReadOnlyList<int> Given => _given;

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
            int confidentCount = 0, only = -1;
            for (int j = 0; j < classCount; j++)
                if (p[j] >= thresholds[j] - ThresholdTolerance) { confidentCount++; only = j; }
            confident[i] = confidentCount switch
            {
                0 => -1,
                1 => only,
                _ => ClassificationMetrics.ArgMax(p),
            };
            if (confident[i] >= 0) joint[given[i], confident[i]]++;
        }
        return new ConfidentLearning(probabilities, given, thresholds, confident, joint, count);
    }

    /// <summary>
    /// Ĉ: the joint with its diagonal raised to at least 1 and row i rescaled to the n_i examples labelled i, rounded preserving
    /// the row totals (a class nobody is labelled with keeps a zero row).
    /// </summary>
    public int[,] CalibratedJoint()
    {
        int k = ClassCount;
        var scaled = new double[k, k];
        for (int i = 0; i < k; i++)
        {
            var row = Enumerable.Range(0, k).Select(j => (double)(i == j ? Math.Max(Joint[i, j], 1) : Joint[i, j])).ToArray();
            double total = row.Sum();
            for (int j = 0; j < k; j++) scaled[i, j] = row[j] / total * _labelled[i];
        }
        return RowTotalRounding.Round(scaled);
    }

    /// <summary>
    /// How many examples labelled i (first index) are to be pruned as truly j (second index): <see cref="CalibratedJoint"/> with at
    /// least <c>1</c> example of every class kept (cleanlab's <c>_keep_at_least_n_per_class</c>; the diagonal holds the kept count).
    /// </summary>
    public int[,] PruneCounts()
    {
        int k = ClassCount;
        var calibrated = CalibratedJoint();
        var counts = new int[k, k];
        for (int i = 0; i < k; i++)
        {
            int diagonal = calibrated[i, i];
            int raised = Math.Max(diagonal, MinExamplesPerClass);
            // cleanlab divides by (non-zero cells of the class, diagonal included) − 1, at least 1.
            int nonZero = Enumerable.Range(0, k).Count(j => calibrated[i, j] != 0);
            double take = (double)(raised - diagonal) / Math.Max(nonZero - 1, 1);
            for (int j = 0; j < k; j++)
                counts[i, j] = j == i ? raised : (int)Math.Max(calibrated[i, j] - take, 0);
        }
        return counts;
    }

    /// <summary>Which examples look mislabelled under <paramref name="method"/>.</summary>
    public bool[] Flags(LabelIssueMethod method)
    {
        var flags = method switch
        {
            LabelIssueMethod.ConfidentJoint => OffDiagonal(),
            LabelIssueMethod.PruneByNoiseRate => PruneByNoiseRate(),
            LabelIssueMethod.PruneByClass => PruneByClass(),
            LabelIssueMethod.Both => [.. PruneByNoiseRate().Zip(PruneByClass(), (a, b) => a && b)],
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown label-issue method"),
        };
        // cleanlab's last step: a model that predicts the given label does not call it an issue, whatever the counts say.
        for (int x = 0; x < flags.Length; x++)
            if (_argMax[x] == _given[x]) flags[x] = false;
        return flags;
    }

    /// <summary>The indices of the flagged examples, most suspicious (lowest <paramref name="score"/>) first, ties by index.</summary>
    public int[] Rank(IReadOnlyList<bool> flags, LabelQualityScore score = LabelQualityScore.NormalizedMargin) =>
        [.. Enumerable.Range(0, _given.Count).Where(x => flags[x]).OrderBy(x => LabelQuality.Score(_probabilities[x], _given[x], score)).ThenBy(x => x)];

    /// <summary>The class each example would be relabelled to: the arg-max of its probabilities.</summary>
    public int[] ArgMaxClasses() => [.. _argMax];

    private bool[] OffDiagonal() => [.. Enumerable.Range(0, _given.Count).Select(x => ConfidentClass[x] >= 0 && ConfidentClass[x] != _given[x])];

    private List<int> LabelledAs(int label) => [.. Enumerable.Range(0, _given.Count).Where(x => _given[x] == label)];

    private bool[] PruneByNoiseRate()
    {
        int k = ClassCount;
        var prune = PruneCounts();
        var flags = new bool[_given.Count];
        for (int i = 0; i < k; i++)
        {
            var labelledI = LabelledAs(i);
            if (labelledI.Count <= MinExamplesPerClass) continue;
            for (int j = 0; j < k; j++)
            {
                if (i == j || prune[i, j] <= 0) continue;
                foreach (int x in labelledI.OrderByDescending(x => (double)_probabilities[x][j] - _probabilities[x][i]).ThenBy(x => x).Take(prune[i, j]))
                    flags[x] = true;
            }
        }
        return flags;
    }

    private bool[] PruneByClass()
    {
        var prune = PruneCounts();
        var flags = new bool[_given.Count];
        for (int i = 0; i < ClassCount; i++)
        {
            var labelledI = LabelledAs(i);
            if (labelledI.Count <= MinExamplesPerClass) continue;
            int issues = labelledI.Count - prune[i, i];
            foreach (int x in labelledI.OrderBy(x => _probabilities[x][i]).ThenBy(x => x).Take(Math.Max(issues, 0)))
                flags[x] = true;
        }
        return flags;
    }
}
