using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLPipelines.Torch.Onnx.Benchmarks;

/// <summary>
/// ResNet-18 in torchvision's layout written directly with TorchSharp modules: the reference the ONNX executor's training
/// speed on <c>builtin:resnet18</c> is compared with.
/// </summary>
public sealed class HandWrittenResNet18 : Module<Tensor, Tensor>
{
    private readonly Sequential stem;
    private readonly Sequential layers;
    private readonly Linear classifier;

    public HandWrittenResNet18(int classes) : base(nameof(HandWrittenResNet18))
    {
        stem = Sequential(Conv2d(3, 64, 7, 2, 3, bias: false), BatchNorm2d(64), ReLU(), MaxPool2d(3, 2, 1));
        var blocks = new List<Module<Tensor, Tensor>>();
        int channels = 64;
        foreach (var (output, stride) in new[] { (64, 1), (128, 2), (256, 2), (512, 2) })
        {
            blocks.Add(new BasicBlock(channels, output, stride));
            blocks.Add(new BasicBlock(output, output, 1));
            channels = output;
        }
        blocks.Add(AdaptiveAvgPool2d(1));
        blocks.Add(Flatten());
        layers = Sequential(blocks);
        classifier = Linear(512, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var x = stem.forward(input);
        using var features = layers.forward(x);
        return classifier.forward(features);
    }

    private sealed class BasicBlock : Module<Tensor, Tensor>
    {
        private readonly Sequential body;
        private readonly Sequential? downsample;

        public BasicBlock(int input, int output, int stride) : base(nameof(BasicBlock))
        {
            body = Sequential(Conv2d(input, output, 3, stride, 1, bias: false), BatchNorm2d(output), ReLU(),
                Conv2d(output, output, 3, 1, 1, bias: false), BatchNorm2d(output));
            if (stride != 1 || input != output)
                downsample = Sequential(Conv2d(input, output, 1, stride, bias: false), BatchNorm2d(output));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var y = body.forward(x);
            using var shortcut = downsample is null ? x.alias() : downsample.forward(x);
            using var sum = y + shortcut;
            return functional.relu(sum);
        }
    }
}
