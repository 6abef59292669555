namespace MLPipelines.Architectures;

/// <summary>
/// Options of <see cref="Mlp"/>. Defaults: 10 classes, 28×28 input with 3 channels (flattened to 2352 values), hidden sizes
/// [256, 128], ReLU, seed 42.
/// </summary>
public sealed record MlpOptions : ArchitectureOptions
{
    public MlpOptions()
    {
        InputSize = 28;
    }

    /// <summary>Units of each hidden layer, in order; empty makes a linear (softmax-regression) classifier. Default [256, 128].</summary>
    public int[] HiddenSizes { get; init; } = [256, 128];

    /// <summary>The activation after each hidden layer. Default ReLU.</summary>
    public MlpActivation Activation { get; init; } = MlpActivation.Relu;

    public override void Validate(string architecture)
    {
        base.Validate(architecture);
        Require(architecture, HiddenSizes.All(h => h >= 1), "hidden-sizes", $"must all be at least 1, got [{string.Join(",", HiddenSizes)}]");
        Require(architecture, Enum.IsDefined(Activation), "activation", $"must be relu or tanh, got {Activation}");
    }
}
