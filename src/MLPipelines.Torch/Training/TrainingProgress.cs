using System.Diagnostics;

namespace MLPipelines.Torch.Training;

/// <summary>Reports batch progress with the running loss, throughput and an ETA for the rest of the run.</summary>
internal sealed class TrainingProgress(IProgress<ProgressUpdate>? progress, int totalEpochs, int batchesPerEpoch)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _batchesDone;

    public void Batch(int epoch, int batch, double runningLoss, double imagesPerSecond)
    {
        _batchesDone++;
        if (progress is null) return;
        long remaining = (long)(totalEpochs - epoch) * batchesPerEpoch + (batchesPerEpoch - batch - 1);
        var eta = TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / _batchesDone * remaining);
        progress.Report(new ProgressUpdate($"epoch {epoch}/{totalEpochs}", batch + 1, batchesPerEpoch,
            FormattableString.Invariant($"loss {runningLoss:0.000}, {imagesPerSecond:0.0} img/s, ETA {eta:hh\\:mm\\:ss}")));
    }
}
