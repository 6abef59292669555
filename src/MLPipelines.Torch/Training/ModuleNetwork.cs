using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Training;

/// <summary>
/// <see cref="ITrainableNetwork"/> over any TorchSharp module (bring your own architecture): parameters whose names start
/// with <paramref name="headPrefix"/> form the head, the others the backbone; submodules outside the head are the backbone
/// whose batch normalization stays in eval mode while it is frozen.
/// </summary>
public sealed class ModuleNetwork(nn.Module<Tensor, Tensor> module, string headPrefix) : ITrainableNetwork
{
    private bool _frozen;

    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> Module { get; } = module;

    /// <summary>Name prefix of the head's parameters, e.g. <c>head.</c>.</summary>
    public string HeadPrefix { get; } = headPrefix;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> HeadParameters() =>
        Module.named_parameters().Where(p => p.name.StartsWith(HeadPrefix, StringComparison.Ordinal)).Select(p => p.parameter).ToList();

    /// <inheritdoc />
    public IReadOnlyList<Parameter> BackboneParameters() =>
        Module.named_parameters().Where(p => !p.name.StartsWith(HeadPrefix, StringComparison.Ordinal)).Select(p => p.parameter).ToList();

    /// <inheritdoc />
    public void FreezeBackbone()
    {
        foreach (var p in BackboneParameters()) p.requires_grad = false;
        _frozen = true;
    }

    /// <inheritdoc />
    public void UnfreezeBackbone()
    {
        foreach (var p in BackboneParameters()) p.requires_grad = true;
        _frozen = false;
    }

    /// <inheritdoc />
    public void SetTraining(bool training)
    {
        Module.train(training);
        if (!training || !_frozen) return;
        foreach (var (name, child) in Module.named_modules())
            if (!name.StartsWith(HeadPrefix.TrimEnd('.'), StringComparison.Ordinal) && child is BatchNorm2d or BatchNorm1d)
                child.eval();
    }

    /// <inheritdoc />
    public void Dispose() => Module.Dispose();
}
