using TorchSharp;
using TorchSharp.Modules;

namespace MLPipelines.Torch.Training;

/// <summary>Builds TorchSharp's SGD or AdamW with a head parameter group and, when the backbone trains, a backbone group.</summary>
public static class OptimizerFactory
{
    /// <summary>
    /// The optimizer for <paramref name="network"/> and the base learning rate of each parameter group (head first). Frozen
    /// parameters are left out altogether, so weight decay and momentum cannot touch them.
    /// </summary>
    public static (torch.optim.Optimizer Optimizer, double[] GroupRates) Create(ImageClassificationTrainer.Options options,
        ITrainableNetwork network, bool backboneFrozen)
    {
        var groups = new List<(IReadOnlyList<Parameter> Parameters, double Rate)> { (network.HeadParameters(), options.EffectiveLearningRate) };
        if (!backboneFrozen && network.BackboneParameters().Count > 0)
            groups.Add((network.BackboneParameters(), options.EffectiveLearningRate * options.BackboneLearningRateFactor));
        // A network continued from a saved classifier has no separate head: all its parameters are "backbone".
        groups.RemoveAll(g => g.Parameters.Count == 0);
        if (groups.Count == 0) throw new InvalidOperationException("the network has no trainable parameters");
        var rates = groups.Select(g => g.Rate).ToArray();
        torch.optim.Optimizer optimizer = options.Optimizer switch
        {
            OptimizerKind.Sgd => torch.optim.SGD(
                groups.Select(g => new SGD.ParamGroup(g.Parameters, g.Rate, options.Momentum, 0, options.WeightDecay, options.Nesterov)),
                options.EffectiveLearningRate, options.Momentum, 0, options.WeightDecay, options.Nesterov),
            OptimizerKind.AdamW => torch.optim.AdamW(
                groups.Select(g => new AdamW.ParamGroup(g.Parameters, g.Rate, 0.9, 0.999, 1e-8, options.WeightDecay)),
                options.EffectiveLearningRate, 0.9, 0.999, 1e-8, options.WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(options), $"unknown optimizer {options.Optimizer}"),
        };
        return (optimizer, rates);
    }

    /// <summary>Sets every group's learning rate to its base rate × <paramref name="factor"/>.</summary>
    public static void SetRates(torch.optim.Optimizer optimizer, double[] groupRates, double factor)
    {
        int g = 0;
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = groupRates[g++] * factor;
    }
}
