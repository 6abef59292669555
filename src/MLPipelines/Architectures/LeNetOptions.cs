namespace MLPipelines.Architectures;

/// <summary>
/// Options of <see cref="LeNet"/>. Defaults: 10 classes, 28×28 input (MNIST; 3 channels, gray replicated), seed 42,
/// first-convolution padding chosen from the input size (see <see cref="FirstConvPadding"/>).
/// </summary>
public sealed record LeNetOptions : ArchitectureOptions
{
    public LeNetOptions()
    {
        InputSize = 28;
    }

    /// <summary>
    /// Zero padding of the first 5×5 convolution. Default null = 2 ("same" padding) for inputs smaller than 32 pixels and 0
    /// otherwise: MNIST's 28×28 digits are then read as LeNet-5 read them, padded to 32×32, so the third convolution sees a
    /// 5×5 map and produces a 1×1×64 vector for 28×28 and 32×32 inputs alike.
    /// </summary>
    public int? FirstConvPadding { get; init; }

    /// <summary>Units of the hidden dense layer. Default 1000.</summary>
    public int HiddenUnits { get; init; } = 1000;

    /// <summary>The padding the first convolution gets.</summary>
    public int EffectiveFirstConvPadding => FirstConvPadding ?? (InputSize < 32 ? 2 : 0);

    public override void Validate(string architecture)
    {
        base.Validate(architecture);
        Require(architecture, FirstConvPadding is null or >= 0, "first-conv-padding", $"must be 0 or more, got {FirstConvPadding}");
        Require(architecture, HiddenUnits >= 1, "hidden-units", $"must be at least 1, got {HiddenUnits}");
    }
}
