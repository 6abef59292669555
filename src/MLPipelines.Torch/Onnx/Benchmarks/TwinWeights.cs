using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Onnx.Benchmarks;

/// <summary>
/// Copies the weights of an <see cref="OnnxModule"/> into a hand-written TorchSharp network of the same architecture, so
/// that a speed comparison runs the same computation on the same numbers, and so that a test can prove the two are the
/// same network: with equal weights they must give equal outputs. Parameter shapes alone cannot prove it (a stride in a
/// different block changes the work, not the shapes).
/// </summary>
public static class TwinWeights
{
    /// <summary>
    /// Copies <paramref name="source"/>'s parameters and BatchNormalization running statistics, in the order its graph's
    /// nodes first read them, into <paramref name="twin"/>'s parameters and buffers in registration order (BatchNorm's
    /// num_batches_tracked counter is not an ONNX tensor and is skipped).
    /// </summary>
    /// <exception cref="InvalidOperationException">The counts or a pair of shapes differ; the message names both tensors.</exception>
    public static void Copy(OnnxModule source, nn.Module twin)
    {
        var ordered = source.InitializersInNodeOrder();
        var sourceParameters = ordered.Where(i => !i.RunningStatistic).Select(i => i.Name).ToList();
        var sourceStatistics = ordered.Where(i => i.RunningStatistic).Select(i => i.Name).ToList();
        var twinParameters = twin.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        var twinStatistics = twin.named_buffers().Where(b => !b.name.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
        if (sourceParameters.Count != twinParameters.Count || sourceStatistics.Count != twinStatistics.Count)
            throw new InvalidOperationException(
                $"the ONNX graph has {sourceParameters.Count} parameters and {sourceStatistics.Count} running statistics, the hand-written " +
                $"{twin.GetName()} has {twinParameters.Count} and {twinStatistics.Count}: not the same architecture");
        using var noGrad = torch.no_grad();
        foreach (var (name, (twinName, target)) in sourceParameters.Zip(twinParameters).Concat(sourceStatistics.Zip(twinStatistics)))
        {
            var value = source.Initializer(name);
            if (!value.shape.SequenceEqual(target.shape))
                throw new InvalidOperationException(
                    $"ONNX tensor '{name}' [{string.Join(",", value.shape)}] does not fit {twin.GetName()}'s '{twinName}' [{string.Join(",", target.shape)}]: the layer orders differ");
            target.copy_(value);
        }
    }
}
