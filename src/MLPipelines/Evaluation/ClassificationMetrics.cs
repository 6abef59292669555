namespace MLPipelines.Evaluation;

/// <summary>
/// Multiclass metrics from predicted probabilities: accuracy, macro accuracy (mean per-class recall), per-class precision,
/// recall and F1, macro-F1, log-loss, top-k accuracy and the confusion matrix (rows: true class, columns: predicted class).
/// </summary>
public sealed class ClassificationMetrics
{
    /// <summary>Probabilities are clipped to [ε, 1] before the logarithm, as scikit-learn and ML.NET do.</summary>
    public const double LogLossEpsilon = 1e-15;

    private ClassificationMetrics() { }

    public IReadOnlyList<string> Classes { get; private init; } = [];
    public int Count { get; private init; }
    public double Accuracy { get; private init; }
    public double MacroAccuracy { get; private init; }
    public double MacroF1 { get; private init; }
    public double LogLoss { get; private init; }

    /// <summary>Top-k accuracy for k = 1 … number of classes (index 0 is top-1).</summary>
    public IReadOnlyList<double> TopKAccuracy { get; private init; } = [];

    /// <summary>Per-class precision, recall, F1 and support, in class order.</summary>
    public IReadOnlyList<ClassMetrics> PerClass { get; private init; } = [];

    /// <summary>Counts[true, predicted].</summary>
    public int[,] ConfusionMatrix { get; private init; } = new int[0, 0];

    /// <summary>Top-k accuracy (k clamped to the number of classes).</summary>
    public double TopK(int k) => TopKAccuracy[Math.Clamp(k, 1, TopKAccuracy.Count) - 1];

    /// <summary>Computes the metrics; <paramref name="probabilities"/>[i] holds one probability per class.</summary>
    public static ClassificationMetrics Compute(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> trueLabels, IReadOnlyList<string> classes)
    {
        int n = trueLabels.Count, k = classes.Count;
        if (probabilities.Count != n)
            throw new ArgumentException($"{probabilities.Count} predictions for {n} labels");
        if (n == 0)
            throw new ArgumentException("no examples to evaluate");
        var confusion = new int[k, k];
        var rankCounts = new int[k];
        double logLoss = 0;
        for (int i = 0; i < n; i++)
        {
            var p = probabilities[i];
            if (p.Length != k)
                throw new ArgumentException($"prediction {i} has {p.Length} scores for {k} classes");
            int truth = trueLabels[i];
            int predicted = ArgMax(p);
            confusion[truth, predicted]++;
            // Rank of the true class: how many classes score strictly higher (ties favour the true class, as ML.NET's top-k).
            int rank = 0;
            for (int c = 0; c < k; c++)
                if (p[c] > p[truth]) rank++;
            rankCounts[rank]++;
            logLoss -= Math.Log(Math.Clamp(p[truth], LogLossEpsilon, 1.0));
        }
        var perClass = new ClassMetrics[k];
        for (int c = 0; c < k; c++)
        {
            int truePositives = confusion[c, c];
            int support = Enumerable.Range(0, k).Sum(j => confusion[c, j]);
            int predictedCount = Enumerable.Range(0, k).Sum(j => confusion[j, c]);
            double precision = predictedCount == 0 ? 0 : (double)truePositives / predictedCount;
            double recall = support == 0 ? 0 : (double)truePositives / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass[c] = new ClassMetrics(classes[c], precision, recall, f1, support);
        }
        var topK = new double[k];
        int cumulative = 0;
        for (int r = 0; r < k; r++)
        {
            cumulative += rankCounts[r];
            topK[r] = (double)cumulative / n;
        }
        var present = perClass.Where(c => c.Support > 0).ToList();
        return new ClassificationMetrics
        {
            Classes = classes,
            Count = n,
            Accuracy = Enumerable.Range(0, k).Sum(c => confusion[c, c]) / (double)n,
            MacroAccuracy = present.Average(c => c.Recall),
            MacroF1 = present.Average(c => c.F1),
            LogLoss = logLoss / n,
            TopKAccuracy = topK,
            PerClass = perClass,
            ConfusionMatrix = confusion,
        };
    }

    /// <summary>Index of the largest value (the first on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}

/// <summary>Precision, recall, F1 and number of true examples of one class.</summary>
public sealed record ClassMetrics(string Class, double Precision, double Recall, double F1, int Support);
