namespace MLPipelines.Architectures;

/// <summary>
/// Options of <see cref="ResNet"/> (torchvision's <c>resnet18</c>/<c>resnet34</c>). Defaults: 1000 classes, 224×224 RGB input,
/// seed 42, no zero-initialized residual BN. Any input side of 32 pixels or more works (the network pools globally).
/// </summary>
public sealed record ResNetOptions : ArchitectureOptions
{
    public ResNetOptions()
    {
        Classes = 1000;
        InputSize = 224;
    }

    /// <summary>
    /// torchvision's <c>zero_init_residual</c>: start every block's last BN weight at 0, so each residual block begins as the
    /// identity (Goyal et al., 2017). Default false, as in torchvision.
    /// </summary>
    public bool ZeroInitResidual { get; init; }
}
