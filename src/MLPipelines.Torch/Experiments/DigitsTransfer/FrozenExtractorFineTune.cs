using MLPipelines.Data.Idx;
using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Experiments.DigitsTransfer;

/// <summary>
/// The transfer step: the pretrained extractor is frozen (no gradients, BatchNorm in eval mode so its running statistics stay
/// as they are) and a new linear head is trained on dataset B for a fixed number of Adam steps, then scored on B's test images.
/// Because nothing before the head changes, the features are computed once, which is exactly equivalent to passing every batch
/// through the frozen extractor and much cheaper.
/// </summary>
public static class FrozenExtractorFineTune
{
    private const int FeatureBatch = 512;

    /// <summary>Test accuracy of the new head and its final training loss.</summary>
    public sealed record Result(double TestAccuracy, double FinalTrainLoss);

    /// <summary>Freezes <paramref name="network"/>'s extractor and trains and scores a new head on dataset B.</summary>
    public static Result Run(DigitsConvNet network, GrayImageSet train, IReadOnlyList<int> trainIndices, GrayImageSet test, IReadOnlyList<int> testIndices,
        int classes, DigitsTransferDefinition.FineTuneSettings settings, int seed)
    {
        Freeze(network);
        using var scope = NewDisposeScope();
        var trainFeatures = Features(network, train, trainIndices);
        var testFeatures = Features(network, test, testIndices);
        var trainLabels = tensor(train.LabelsAt(trainIndices).Select(l => (long)l).ToArray());
        var testLabels = tensor(test.LabelsAt(testIndices).Select(l => (long)l).ToArray());

        torch.random.manual_seed(seed);
        using var head = nn.Linear(DigitsConvNet.FeatureSize, classes);
        using var optimizer = optim.Adam(head.parameters(), settings.LearningRate);
        var random = new Random(seed);
        var order = Enumerable.Range(0, trainIndices.Count).ToArray();
        int batchSize = Math.Min(settings.BatchSize, order.Length), position = order.Length;
        double lastLoss = double.NaN;
        for (int step = 0; step < settings.Steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var batch = new long[batchSize];
            for (int b = 0; b < batchSize; b++)
            {
                if (position == order.Length) { random.Shuffle(order); position = 0; }
                batch[b] = order[position++];
            }
            var index = tensor(batch);
            var loss = nn.functional.cross_entropy(head.forward(trainFeatures.index_select(0, index)), trainLabels.index_select(0, index));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            lastLoss = loss.item<float>();
        }
        using var noGrad = no_grad();
        double accuracy = head.forward(testFeatures).argmax(1).eq(testLabels).to_type(float64).mean().item<double>();
        return new Result(accuracy, lastLoss);
    }

    /// <summary>Turns off gradients and puts the extractor in eval mode (BatchNorm uses, and no longer updates, its running statistics).</summary>
    public static void Freeze(DigitsConvNet network)
    {
        network.Extractor.eval();
        foreach (var parameter in network.Extractor.parameters())
            parameter.requires_grad = false;
    }

    /// <summary>Features of the images at <paramref name="indices"/> under the network's current mode, without gradients.</summary>
    public static Tensor Features(DigitsConvNet network, GrayImageSet images, IReadOnlyList<int> indices)
    {
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        for (int start = 0; start < indices.Count; start += FeatureBatch)
        {
            var chunk = indices.Skip(start).Take(FeatureBatch).ToArray();
            using var input = DigitTensors.Images(images, chunk);
            parts.Add(network.Features(input));
        }
        var all = cat(parts, 0);
        foreach (var part in parts) part.Dispose();
        return all;
    }
}
