using MLPipelines.Onnx.Proto;

namespace MLPipelines.Architectures;

/// <summary>
/// A LeNet-like network: conv 5×5 ×32 → ReLU → max-pool 2×2 → conv 5×5 ×64 → ReLU → max-pool 2×2 → conv 5×5 ×64 → ReLU →
/// flatten → fc 1000 → ReLU → fc (classes).
/// <para>
/// Padding follows LeNet-5, which reads 32×32 images with unpadded ("valid") convolutions: 32 → 28 → pool 14 → 10 → pool 5
/// → 1, so the third convolution sees the whole 5×5 map and yields a 64-vector, as LeNet-5's C5 layer does. MNIST's
/// 28×28 digits get 2 pixels of zero padding in the first convolution (LeNet-5 padded MNIST to 32×32 the same way), and
/// the rest is identical. Both sizes therefore have the same parameters: with 3 input channels and 10 classes
/// 2,432 + 51,264 + 102,464 + 65,000 + 10,010 = 231,170 (229,570 with 1 input channel). Other sizes work too; the flatten
/// size follows the tracked shapes. Initialization is PyTorch's default for every layer.
/// </para>
/// </summary>
public static class LeNet
{
    /// <summary>Builds the network with <paramref name="options"/> (defaults: 28×28, 10 classes).</summary>
    public static ModelProto Build(LeNetOptions? options = null)
    {
        options ??= new LeNetOptions();
        const string architecture = "lenet";
        var (g, x) = ClassifierGraph.Start(architecture, options);

        x = g.Conv2d(x, 32, kernel: 5, padding: options.EffectiveFirstConvPadding, name: "conv1");
        x = g.Relu(x, "relu1");
        x = g.MaxPool2d(x, kernel: 2, stride: 2, name: "pool1");
        x = g.Conv2d(x, 64, kernel: 5, name: "conv2");
        x = g.Relu(x, "relu2");
        x = g.MaxPool2d(x, kernel: 2, stride: 2, name: "pool2");
        x = g.Conv2d(x, 64, kernel: 5, name: "conv3");
        x = g.Relu(x, "relu3");
        x = g.Flatten(x, "flatten");
        x = g.Linear(x, options.HiddenUnits, name: "fc1");
        var features = g.Relu(x, "relu4", output: ClassifierTensors.Features);
        var logits = g.Linear(features, options.Classes, name: "fc2", output: ClassifierTensors.Logits);
        return ClassifierGraph.Finish(g, logits, features, architecture, options,
            $"LeNet-like CNN for {options.InputSize}×{options.InputSize} input (first conv padding {options.EffectiveFirstConvPadding}), {options.Classes} classes, fresh weights from seed {options.Seed}");
    }
}
