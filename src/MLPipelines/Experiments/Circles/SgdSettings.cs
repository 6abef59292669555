namespace MLPipelines.Experiments.Circles;

/// <summary>
/// Plain minibatch SGD: learning rate, batch size, epochs, and the seed of the per-epoch shuffles. Two trainers given the same
/// settings see the same batches in the same order, which is what lets the hand-written MLP and the TorchSharp one be compared
/// step by step.
/// </summary>
public sealed record SgdSettings(double LearningRate, int BatchSize, int Epochs, int Seed)
{
    /// <summary>The minibatches of epoch <paramref name="epoch"/> over <paramref name="count"/> samples (the last one may be smaller).</summary>
    public IEnumerable<int[]> Batches(int epoch, int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        // Not HashCode.Combine: it is randomised per process, and the shuffles must repeat across runs.
        new Random(unchecked(Seed * 1_000_003 + epoch)).Shuffle(order);
        for (int start = 0; start < count; start += BatchSize)
            yield return order[start..Math.Min(count, start + BatchSize)];
    }

    /// <summary>Short text for tables and legends, e.g. "lr 0.1, batch 32, 100 epochs".</summary>
    public override string ToString() => $"lr {LearningRate:g3}, batch {BatchSize}, {Epochs} epochs";
}
