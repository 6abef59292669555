namespace MLPipelines.Architectures;

/// <summary>
/// Options of <see cref="MobileNetV2"/> (torchvision's <c>mobilenet_v2</c>). Defaults: 1000 classes, 224×224 RGB input, width
/// 1.0, dropout 0.2, seed 42.
/// </summary>
public sealed record MobileNetV2Options : ArchitectureOptions
{
    public MobileNetV2Options()
    {
        Classes = 1000;
        InputSize = 224;
    }

    /// <summary>
    /// Width multiplier (torchvision's <c>width_mult</c>): every layer's channels are scaled and rounded to a multiple of 8;
    /// the last layer keeps 1280·max(1, width). Default 1.0; 0.35, 0.5 and 0.75 are the published smaller variants.
    /// </summary>
    public double Width { get; init; } = 1.0;

    /// <summary>Dropout ratio before the classifier. Default 0.2 (torchvision).</summary>
    public double Dropout { get; init; } = 0.2;

    public override void Validate(string architecture)
    {
        base.Validate(architecture);
        Require(architecture, Width > 0 && double.IsFinite(Width), "width", $"must be a positive number, got {Width}");
        Require(architecture, Dropout >= 0 && Dropout < 1, "dropout", $"must be in [0, 1), got {Dropout}");
    }
}
