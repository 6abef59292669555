using MLPipelines.Onnx.Proto;

namespace MLPipelines.Architectures;

/// <summary>
/// The built-in architectures by name, so a trainer, a pipeline file or the CLI can build one from a string and text options:
/// <c>ArchitectureRegistry.Build("resnet18", [new("classes", "7")])</c>. Names are case-insensitive.
/// To add an architecture, write its options record and builder and add one line to <see cref="All"/>.
/// </summary>
public static class ArchitectureRegistry
{
    /// <summary>Every built-in architecture, in a stable order.</summary>
    public static IReadOnlyList<ArchitectureDefinition> All { get; } =
    [
        Define<ResNetOptions>("resnet18", "ResNet-18, torchvision layout (11.7M parameters at 1000 classes)", ResNet.ResNet18),
        Define<ResNetOptions>("resnet34", "ResNet-34, torchvision layout (21.8M parameters at 1000 classes)", ResNet.ResNet34),
        Define<MobileNetV2Options>("mobilenetv2", "MobileNetV2 with width multiplier, torchvision layout (3.5M parameters at 1000 classes, width 1)", MobileNetV2.Build),
        Define<ConvNetOptions>("convnet", "The course's CIFAR-10 ConvNet: conv3×3-(BN)-ReLU-maxpool blocks and a Linear head (7.7M parameters)", ConvNet.Build),
        Define<LeNetOptions>("lenet", "LeNet-like CNN for 28×28 or 32×32 images: three 5×5 convs, fc 1000, fc classes (231k parameters)", LeNet.Build),
        Define<MlpOptions>("mlp", "Multilayer perceptron on the flattened image, ReLU or tanh", Mlp.Build),
    ];

    /// <summary>The registered names.</summary>
    public static IReadOnlyList<string> Names => All.Select(a => a.Name).ToList();

    /// <summary>The architecture called <paramref name="name"/>; the error lists the known names.</summary>
    public static ArchitectureDefinition Get(string name) => TryGet(name, out var definition)
        ? definition
        : throw new ArgumentException($"unknown architecture '{name}'; known architectures: {string.Join(", ", Names)}");

    /// <summary>Looks an architecture up without throwing.</summary>
    public static bool TryGet(string name, out ArchitectureDefinition definition)
    {
        definition = All.FirstOrDefault(a => string.Equals(a.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))!;
        return definition is not null;
    }

    /// <summary>Builds architecture <paramref name="name"/> with text <paramref name="settings"/> (e.g. <c>classes=10</c>).</summary>
    public static ModelProto Build(string name, IEnumerable<KeyValuePair<string, string>>? settings = null) => Get(name).Build(settings);

    /// <summary>Builds architecture <paramref name="name"/> with typed <paramref name="options"/>.</summary>
    public static ModelProto Build(string name, ArchitectureOptions options) => Get(name).Build(options);

    private static ArchitectureDefinition Define<TOptions>(string name, string description, Func<TOptions, ModelProto> build)
        where TOptions : ArchitectureOptions, new() =>
        new(name, description, typeof(TOptions), options => build((TOptions)options));
}
