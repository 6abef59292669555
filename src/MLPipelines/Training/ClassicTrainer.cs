namespace MLPipelines.Training;

/// <summary>The ML.NET multiclass trainers compared on frozen features.</summary>
public enum ClassicTrainer
{
    /// <summary>Multinomial logistic regression trained with L-BFGS (<c>LbfgsMaximumEntropy</c>).</summary>
    LbfgsMaximumEntropy,

    /// <summary>Multinomial logistic regression trained with SDCA (<c>SdcaMaximumEntropy</c>).</summary>
    SdcaMaximumEntropy,

    /// <summary>One-versus-all linear SVMs with Platt-calibrated probabilities (<c>OneVersusAll(LinearSvm)</c>).</summary>
    LinearSvm,

    /// <summary>One-versus-all boosted trees (<c>OneVersusAll(FastTree)</c>).</summary>
    FastTree,

    /// <summary>Multiclass LightGBM.</summary>
    LightGbm,
}
