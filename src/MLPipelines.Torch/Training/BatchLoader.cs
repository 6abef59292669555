using System.Collections.Concurrent;
using MLPipelines.Imaging;
using MLPipelines.Imaging.Augmentation;

namespace MLPipelines.Torch.Training;

/// <summary>
/// Prepares one epoch's batches on a background thread (augment, mix, normalize) while the network trains on the previous
/// ones; a bounded queue keeps at most <c>prefetch</c> batches in memory. Every random draw comes from a generator seeded by
/// (seed, epoch, position in the epoch) or (seed, epoch, batch), so the batches are identical whatever the thread timing.
/// </summary>
public sealed class BatchLoader : IDisposable
{
    private readonly BlockingCollection<TrainingBatch> _queue;
    private readonly CancellationTokenSource _cancel = new();
    private readonly Task _producer;

    /// <summary>Starts preparing the batches of <paramref name="order"/> (image indices into <paramref name="images"/>).</summary>
    public BatchLoader(DecodedImageSet images, IReadOnlyList<int> order, int batchSize, int classCount, Normalization normalization,
        IImageAugmentation? augmentation, IBatchAugmentation? batchAugmentation, int seed, int epoch, int prefetch)
    {
        _queue = new BlockingCollection<TrainingBatch>(prefetch);
        BatchCount = CountBatches(order.Count, batchSize);
        _producer = Task.Factory.StartNew(() =>
        {
            try
            {
                for (int b = 0; b < BatchCount && !_cancel.IsCancellationRequested; b++)
                {
                    int start = b * batchSize, count = Math.Min(batchSize, order.Count - start);
                    var batch = Prepare(images, order, start, count, classCount, normalization, augmentation, batchAugmentation, seed, epoch, b);
                    _queue.Add(batch, _cancel.Token);
                }
            }
            catch (OperationCanceledException) { }
            finally
            {
                _queue.CompleteAdding();
            }
        }, TaskCreationOptions.LongRunning);
    }

    /// <summary>Batches of an epoch of <paramref name="images"/> images; a last batch of one image is dropped (batch norm needs two).</summary>
    public static int CountBatches(int images, int batchSize)
    {
        int full = images / batchSize, rest = images % batchSize;
        return full + (rest >= 2 || (rest == 1 && full == 0) ? 1 : 0);
    }

    /// <summary>Number of batches this loader yields.</summary>
    public int BatchCount { get; }

    /// <summary>The batches in order; rethrows a failure of the background thread.</summary>
    public IEnumerable<TrainingBatch> Batches()
    {
        foreach (var batch in _queue.GetConsumingEnumerable())
            yield return batch;
        _producer.GetAwaiter().GetResult();
    }

    /// <summary>One batch, computed on the calling thread (the background thread runs exactly this).</summary>
    public static TrainingBatch Prepare(DecodedImageSet images, IReadOnlyList<int> order, int start, int count, int classCount,
        Normalization normalization, IImageAugmentation? augmentation, IBatchAugmentation? batchAugmentation, int seed, int epoch, int batchIndex)
    {
        var pictures = new ImageTensor[count];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int index = order[start + i];
            labels[i] = images.Labels[index];
            pictures[i] = augmentation is null
                ? images.Images[index]
                : augmentation.Apply(images.Images[index], TrainingSeeds.Random(seed, "augment", epoch, start + i));
        }
        var mixed = batchAugmentation is null
            ? SoftTargetBatch.OneHot(pictures, labels, classCount)
            : batchAugmentation.Apply(pictures, labels, classCount, TrainingSeeds.Random(seed, "batch-augment", epoch, batchIndex));
        return ToBatch(mixed.Images, mixed.Targets, labels, normalization);
    }

    /// <summary>Normalizes and packs images of one size into a batch.</summary>
    public static TrainingBatch ToBatch(IReadOnlyList<ImageTensor> pictures, float[] targets, int[] labels, Normalization normalization)
    {
        int width = pictures[0].Width, height = pictures[0].Height, plane = width * height;
        var pixels = new float[pictures.Count * 3 * plane];
        for (int i = 0; i < pictures.Count; i++)
        {
            var picture = pictures[i];
            if (picture.Width != width || picture.Height != height)
                throw new InvalidOperationException(
                    $"augmented images of one batch differ in size ({width}×{height} and {picture.Width}×{picture.Height}); augmentations must give every image the same size");
            normalization.Apply(picture.Data, pixels.AsSpan(i * 3 * plane, 3 * plane), plane);
        }
        return new TrainingBatch(pixels, targets, labels, pictures.Count, width, height);
    }

    /// <summary>Stops the background thread.</summary>
    public void Dispose()
    {
        _cancel.Cancel();
        try { _producer.Wait(); } catch (AggregateException) { }
        _queue.Dispose();
        _cancel.Dispose();
    }
}
