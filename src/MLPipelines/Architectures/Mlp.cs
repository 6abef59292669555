using MLPipelines.Onnx.Proto;

namespace MLPipelines.Architectures;

/// <summary>
/// A multilayer perceptron on the flattened image: flatten → (Linear → ReLU or tanh) per hidden size → Linear (classes).
/// Linear layers are ONNX Gemm with PyTorch's [out, in] weights and PyTorch's default initialization. Tanh is built as
/// 2·sigmoid(2x) − 1 (see <see cref="GraphBuilder.Tanh"/>). Parameters: Σ (in·out + out) over the layers, e.g.
/// 2352·256 + 256 + 256·128 + 128 + 128·10 + 10 = 636,554 for the defaults (28×28×3, [256, 128], 10 classes).
/// </summary>
public static class Mlp
{
    /// <summary>Builds the MLP with <paramref name="options"/> (defaults: 28×28×3 input, hidden [256, 128], ReLU, 10 classes).</summary>
    public static ModelProto Build(MlpOptions? options = null)
    {
        options ??= new MlpOptions();
        const string architecture = "mlp";
        var (g, x) = ClassifierGraph.Start(architecture, options);

        var features = g.Flatten(x, "flatten", output: options.HiddenSizes.Length == 0 ? ClassifierTensors.Features : null);
        for (int i = 0; i < options.HiddenSizes.Length; i++)
        {
            string? output = i == options.HiddenSizes.Length - 1 ? ClassifierTensors.Features : null;
            features = g.Linear(features, options.HiddenSizes[i], name: $"fc{i + 1}");
            features = options.Activation == MlpActivation.Tanh
                ? g.Tanh(features, $"tanh{i + 1}", output)
                : g.Relu(features, $"relu{i + 1}", output);
        }
        var logits = g.Linear(features, options.Classes, name: $"fc{options.HiddenSizes.Length + 1}", output: ClassifierTensors.Logits);
        return ClassifierGraph.Finish(g, logits, features, architecture, options,
            $"MLP, hidden [{string.Join(",", options.HiddenSizes)}] with {options.Activation.ToString().ToLowerInvariant()}, for {options.Classes} classes, fresh weights from seed {options.Seed}");
    }
}
