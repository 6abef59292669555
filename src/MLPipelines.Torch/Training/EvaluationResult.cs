namespace MLPipelines.Torch.Training;

/// <summary>Logits of a set of images, in order, with the derived probabilities, loss and accuracy.</summary>
public sealed class EvaluationResult(IReadOnlyList<float[]> logits)
{
    /// <summary>Class logits per image.</summary>
    public IReadOnlyList<float[]> Logits { get; } = logits;

    /// <summary>Softmax probabilities per image.</summary>
    public IReadOnlyList<float[]> Probabilities() => Logits.Select(Softmax).ToList();

    /// <summary>Mean cross-entropy and accuracy against <paramref name="labels"/>.</summary>
    public (double Loss, double Accuracy) Summary(IReadOnlyList<int> labels)
    {
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < Logits.Count; i++)
        {
            var z = Logits[i];
            double max = z.Max();
            double logSum = max + Math.Log(z.Sum(v => Math.Exp(v - max)));
            loss += logSum - z[labels[i]];
            if (Array.IndexOf(z, z.Max()) == labels[i]) correct++;
        }
        return (loss / Logits.Count, (double)correct / Logits.Count);
    }

    private static float[] Softmax(float[] z)
    {
        double max = z.Max();
        var e = z.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => (float)(v / sum)).ToArray();
    }
}
