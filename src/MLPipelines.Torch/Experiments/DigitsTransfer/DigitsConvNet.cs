using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Experiments.DigitsTransfer;

/// <summary>
/// The small ConvNet of the digits-transfer experiment, for 1 × 28 × 28 inputs in [0, 1]:
/// <c>[conv 3×3 → BatchNorm → ReLU → max-pool 2] × 2 → flatten → linear → ReLU</c> gives the <see cref="FeatureSize"/>-d
/// features (the extractor); a linear layer on top gives the pretraining logits (the head).
/// </summary>
public sealed class DigitsConvNet : nn.Module<Tensor, Tensor>
{
    /// <summary>Size of the feature vector.</summary>
    public const int FeatureSize = 128;

    private readonly nn.Module<Tensor, Tensor> _extractor;
    private readonly nn.Module<Tensor, Tensor> _head;

    /// <summary>Builds the network with TorchSharp's default initialisation, drawn from <paramref name="seed"/>.</summary>
    public DigitsConvNet(int classes, int seed, int channels1 = 8, int channels2 = 16) : base(nameof(DigitsConvNet))
    {
        TorchSharpRuntime.EnsureInitialized();
        torch.random.manual_seed(seed);
        _extractor = nn.Sequential(
            ("conv1", nn.Conv2d(1, channels1, 3, padding: 1)), ("bn1", nn.BatchNorm2d(channels1)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(channels1, channels2, 3, padding: 1)), ("bn2", nn.BatchNorm2d(channels2)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
            ("flatten", nn.Flatten()), ("fc", nn.Linear(channels2 * 7 * 7, FeatureSize)), ("relu3", nn.ReLU()));
        _head = nn.Linear(FeatureSize, classes);
        RegisterComponents();
    }

    /// <summary>The feature extractor (everything but the head).</summary>
    public nn.Module<Tensor, Tensor> Extractor => _extractor;

    /// <summary>Pretraining logits of a batch [n, 1, 28, 28].</summary>
    public override Tensor forward(Tensor input) => _head.forward(_extractor.forward(input));

    /// <summary>Features of a batch [n, 1, 28, 28] → [n, <see cref="FeatureSize"/>].</summary>
    public Tensor Features(Tensor input) => _extractor.forward(input);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _extractor.Dispose();
            _head.Dispose();
        }
        base.Dispose(disposing);
    }
}
