namespace MLPipelines.Architectures;

/// <summary>
/// Options of <see cref="ConvNet"/>, the course's CIFAR-10 network. Defaults reproduce the course's reference model: 10
/// classes, 32×32 RGB input, hidden sizes [128, 512, 512, 512, 512], no BatchNorm, no dropout, no hidden dense layer, seed 42.
/// </summary>
public sealed record ConvNetOptions : ArchitectureOptions
{
    /// <summary>Output channels of each conv block (one block per entry; each block halves the image side). Default [128, 512, 512, 512, 512].</summary>
    public int[] HiddenSizes { get; init; } = [128, 512, 512, 512, 512];

    /// <summary>Adds a BatchNorm2d after each convolution. Default false.</summary>
    public bool BatchNorm { get; init; }

    /// <summary>Dropout ratio after each conv block (and each hidden dense layer); 0 adds no dropout. Default 0.</summary>
    public double Dropout { get; init; }

    /// <summary>Sizes of hidden dense (Linear + ReLU) layers between the conv blocks and the classifier. Default none.</summary>
    public int[] DenseSizes { get; init; } = [];

    public override void Validate(string architecture)
    {
        base.Validate(architecture);
        Require(architecture, HiddenSizes.Length >= 1, "hidden-sizes", "needs at least one conv block");
        Require(architecture, HiddenSizes.All(h => h >= 1), "hidden-sizes", $"must all be at least 1, got [{string.Join(",", HiddenSizes)}]");
        Require(architecture, DenseSizes.All(h => h >= 1), "dense-sizes", $"must all be at least 1, got [{string.Join(",", DenseSizes)}]");
        Require(architecture, Dropout >= 0 && Dropout < 1, "dropout", $"must be in [0, 1), got {Dropout}");
        Require(architecture, HiddenSizes.Length <= 30, "hidden-sizes", $"has {HiddenSizes.Length} blocks; at most 30 (each halves the image side)");
        Require(architecture, InputSize >> HiddenSizes.Length >= 1, "input-size",
            $"{InputSize} is too small for {HiddenSizes.Length} blocks that each halve the side (needs at least {1 << HiddenSizes.Length})");
    }
}
