using MLPipelines.Data.Idx;
using MLPipelines.Imaging.Augmentation;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Experiments.DigitsTransfer;

/// <summary>
/// Pretrains a <see cref="DigitsConvNet"/> on a few images per class for a fixed number of Adam steps, optionally mixing each
/// batch with a batch augmentation (mixup, collage) and learning from the resulting soft targets:
/// loss = −Σ_k t_k log softmax(z)_k, averaged over the batch.
/// </summary>
public static class DigitsPretrainer
{
    /// <summary>Trains <paramref name="network"/> in place on <paramref name="indices"/> of <paramref name="images"/>; returns the mean loss of the last 10 steps.</summary>
    public static double Train(DigitsConvNet network, GrayImageSet images, IReadOnlyList<int> indices, int classes, IBatchAugmentation? augmentation,
        DigitsTransferDefinition.PretrainSettings settings, int seed)
    {
        var random = new Random(seed);
        int batchSize = Math.Min(settings.BatchSize, indices.Count);
        var order = indices.ToArray();
        int position = order.Length;
        using var optimizer = optim.Adam(network.parameters(), settings.LearningRate);
        network.train();
        var recent = new Queue<double>();
        int steps = settings.Steps(indices.Count);
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            // Epochs of seeded shuffles; a batch never repeats an image, so a mixing partner is always another image.
            var batch = new int[batchSize];
            for (int b = 0; b < batchSize; b++)
            {
                if (position == order.Length) { random.Shuffle(order); position = 0; }
                batch[b] = order[position++];
            }
            var labels = images.LabelsAt(batch);
            Tensor input, targets;
            if (augmentation is null)
            {
                input = DigitTensors.Images(images, batch);
                targets = nn.functional.one_hot(tensor(labels.Select(l => (long)l).ToArray()), classes).to_type(float32);
            }
            else
            {
                var mixed = augmentation.Apply([.. batch.Select(images.ToImageTensor)], labels, classes, random);
                input = DigitTensors.FirstChannel(mixed.Images);
                targets = tensor(mixed.Targets, [batchSize, classes]);
            }
            var logits = network.forward(input);
            var loss = -(targets * nn.functional.log_softmax(logits, 1)).sum(1).mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            recent.Enqueue(loss.item<float>());
            if (recent.Count > 10) recent.Dequeue();
        }
        return recent.Average();
    }
}
