namespace MLPipelines.Data;

/// <summary>Options of <see cref="ImageFolderDataset.Load"/>.</summary>
public sealed class ImageFolderOptions
{
    /// <summary>
    /// Decode every image once while loading, so that corrupt or truncated files are skipped and reported up front rather
    /// than failing a run halfway. Default: true. (About 1 ms per 227×227 JPEG on one core.)
    /// </summary>
    public bool VerifyImages { get; init; } = true;

    /// <summary>Threads used to verify images. Default: the number of processors.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}
