using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLPipelines.Torch.Onnx.Benchmarks;

/// <summary>
/// MobileNetV2 1.0 written directly with TorchSharp modules, laid out like the Gluon model behind
/// mobilenetv2-1.0-bn-features (every bottleneck has its 1×1 expansion, ReLU activations, BatchNorm not folded: 53 Conv,
/// 53 BatchNorm, 36 ReLU) plus a Linear head. The reference the ONNX executor's training speed is compared with.
/// The Gluon network downsamples at the first 96-channel block, not at the first 64-channel block as the paper and
/// torchvision do, so its four 64-channel blocks run at 28×28: 428 million multiply-adds per image instead of 312. A twin
/// in torchvision's layout has the same parameter shapes but does 27% less work; <see cref="TwinWeights"/> and the
/// equal-output test make sure the layouts match.
/// </summary>
public sealed class HandWrittenMobileNetV2 : Module<Tensor, Tensor>
{
    // Stride 2 on the 24-, 32-, 96- and 160-channel stages, as in the Gluon file (torchvision: 24, 32, 64, 160).
    private static readonly (int Expansion, int Channels, int Repeats, int Stride)[] Stages =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 1), (6, 96, 3, 2), (6, 160, 3, 2), (6, 320, 1, 1)];

    private readonly Sequential features;
    private readonly Linear classifier;

    public HandWrittenMobileNetV2(int classes) : base(nameof(HandWrittenMobileNetV2))
    {
        var layers = new List<Module<Tensor, Tensor>> { ConvBnRelu(3, 32, 3, 2, 1) };
        int channels = 32;
        foreach (var (expansion, output, repeats, stride) in Stages)
            for (int i = 0; i < repeats; i++)
            {
                layers.Add(new Bottleneck(channels, output, expansion, i == 0 ? stride : 1));
                channels = output;
            }
        layers.Add(ConvBnRelu(channels, 1280, 1, 1, 1));
        layers.Add(AdaptiveAvgPool2d(1));
        layers.Add(Flatten());
        features = Sequential(layers);
        classifier = Linear(1280, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var x = features.forward(input);
        return classifier.forward(x);
    }

    internal static Sequential ConvBnRelu(long input, long output, long kernel, long stride, long groups) => Sequential(
        Conv2d(input, output, kernel, stride, kernel / 2, groups: groups, bias: false), BatchNorm2d(output), ReLU());

    private sealed class Bottleneck : Module<Tensor, Tensor>
    {
        private readonly Sequential body;
        private readonly bool residual;

        public Bottleneck(int input, int output, int expansion, int stride) : base(nameof(Bottleneck))
        {
            int hidden = input * expansion;
            body = Sequential(
                ConvBnRelu(input, hidden, 1, 1, 1),
                ConvBnRelu(hidden, hidden, 3, stride, hidden),
                Conv2d(hidden, output, 1, bias: false),
                BatchNorm2d(output));
            residual = stride == 1 && input == output;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            if (!residual) return body.forward(x);
            using var y = body.forward(x);
            return y + x;
        }
    }
}
