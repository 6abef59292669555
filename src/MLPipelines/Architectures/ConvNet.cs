using MLPipelines.Onnx.Proto;

namespace MLPipelines.Architectures;

/// <summary>
/// The course's CIFAR-10 ConvNet: one block per hidden size — conv 3×3 (padding 1, with bias) → [BatchNorm2d] → ReLU →
/// max-pool 2×2 → [dropout] — then flatten and a Linear classifier (optionally after hidden dense layers).
/// <para>
/// The layout is pinned by the course's reference parameter counts. For 32×32×3 input, 10 classes and hidden sizes
/// [128, 512, 512, 512, 512]: five convolutions hold 3,584 + 590,336 + 3 × 2,359,808 = 7,673,344 parameters; the five
/// pools take 32×32 down to 1×1, so the classifier is a single 512 → 10 Linear with 5,130; total 7,678,474. BatchNorm adds
/// an affine weight and bias per channel, 2 × (128 + 4 × 512) = 4,352, for 7,682,826 (running statistics are buffers, not
/// parameters), and the convolutions keep their bias in that count.
/// </para>
/// <para>
/// The course orders a block conv → BN → pool → ReLU; ReLU and max-pooling commute (both are monotone), so this
/// conv → BN → ReLU → pool gives identical outputs. Initialization also follows the course: PyTorch's defaults for the
/// convolutions and BN, and its <c>weights_init</c> for Linear layers, Normal(0, 0.001) weights and zero biases.
/// </para>
/// </summary>
public static class ConvNet
{
    /// <summary>Builds the ConvNet with <paramref name="options"/> (defaults: the course's CIFAR-10 model without BN).</summary>
    public static ModelProto Build(ConvNetOptions? options = null)
    {
        options ??= new ConvNetOptions();
        const string architecture = "convnet";
        var (g, x) = ClassifierGraph.Start(architecture, options);
        var linearWeightInit = WeightInit.Normal(0.001);

        for (int i = 0; i < options.HiddenSizes.Length; i++)
        {
            using var block = g.Scope($"block{i + 1}");
            x = g.Conv2d(x, options.HiddenSizes[i], kernel: 3, padding: 1, name: "conv");
            if (options.BatchNorm) x = g.BatchNorm2d(x, "bn");
            x = g.Relu(x, "relu");
            x = g.MaxPool2d(x, kernel: 2, stride: 2, name: "pool");
            x = g.Dropout(x, options.Dropout, "dropout");
        }
        var features = g.Flatten(x, "flatten", output: options.DenseSizes.Length == 0 ? ClassifierTensors.Features : null);
        for (int i = 0; i < options.DenseSizes.Length; i++)
        {
            using var dense = g.Scope($"dense{i + 1}");
            features = g.Linear(features, options.DenseSizes[i], weightInit: linearWeightInit, biasInit: WeightInit.Zeros, name: "fc");
            bool last = i == options.DenseSizes.Length - 1;
            features = g.Relu(features, "relu", output: last ? ClassifierTensors.Features : null);
        }
        var classifierInput = options.DenseSizes.Length == 0 ? features : g.Dropout(features, options.Dropout, "dropout");
        var logits = g.Linear(classifierInput, options.Classes, weightInit: linearWeightInit, biasInit: WeightInit.Zeros, name: "fc",
            output: ClassifierTensors.Logits);
        return ClassifierGraph.Finish(g, logits, features, architecture, options,
            $"Course ConvNet, hidden sizes [{string.Join(",", options.HiddenSizes)}]{(options.BatchNorm ? " with BatchNorm" : "")}, for {options.Classes} classes, fresh weights from seed {options.Seed}");
    }
}
