using MLPipelines.Torch;
using MLPipelines.Torch.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLPipelines.Tests.Torch.Training;

/// <summary>A small hand-written CNN (conv-BN-ReLU ×2, pooling, linear head "head.") for engine tests without the ONNX bridge.</summary>
internal sealed class TinyCnn : Module<Tensor, Tensor>
{
    private readonly Sequential backbone;
    private readonly Linear head;

    public TinyCnn(int classes, int seed) : base(nameof(TinyCnn))
    {
        TorchSharpRuntime.EnsureInitialized();
        torch.manual_seed(seed);
        backbone = Sequential(
            Conv2d(3, 8, 3, stride: 2, padding: 1), BatchNorm2d(8), ReLU(),
            Conv2d(8, 16, 3, stride: 2, padding: 1), BatchNorm2d(16), ReLU(),
            AdaptiveAvgPool2d(1), Flatten());
        head = Linear(16, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => head.forward(backbone.forward(input));

    public static ModuleNetwork Network(int classes, int seed = 1) => new(new TinyCnn(classes, seed), "head.");
}
