namespace MLPipelines.Torch.Experiments.ImbalancedNoisy;

/// <summary>How a run counters the class imbalance (YAML: <c>none</c>, <c>sampler</c>, <c>weighted-loss</c>).</summary>
public enum ClassBalancing
{
    /// <summary>Plain cross-entropy over shuffled batches.</summary>
    None,

    /// <summary>Batches drawn with replacement, p ∝ 1 / n_class (the trainer's <c>BalancedSampler</c>).</summary>
    Sampler,

    /// <summary>Cross-entropy weighted by n / (K · n_class) (the trainer's <c>ClassWeights = Balanced</c>).</summary>
    WeightedLoss,
}
