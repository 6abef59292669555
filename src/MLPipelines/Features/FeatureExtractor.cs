using System.Diagnostics;
using MLPipelines.Imaging;
using MLPipelines.Onnx;

namespace MLPipelines.Features;

/// <summary>
/// Computes feature vectors for many images through the feature cache: cached vectors are read, the others are computed in
/// batches (decoding in parallel, then one ONNX Runtime call per batch) and stored.
/// </summary>
public sealed class FeatureExtractor(FeaturizerModel featurizer, FeatureCache cache, int batchSize = 32)
{
    // Content hashes, remembered per (path, length, modification time) so a file rewritten between calls is hashed again.
    private readonly Dictionary<(string Path, long Length, DateTime Modified), string> _imageKeys = [];

    /// <summary>The featurizer this extractor runs.</summary>
    public FeaturizerModel Featurizer { get; } = featurizer;

    /// <summary>Features for every request, in request order.</summary>
    public FeatureExtractionResult Extract(IReadOnlyList<FeatureRequest> requests, string taskName, IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellation = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var features = new float[requests.Count][];
        var keys = new string[requests.Count];
        var missing = new List<int>();
        Parallel.For(0, requests.Count, i => keys[i] = ImageKeyOf(requests[i].ImagePath));
        for (int i = 0; i < requests.Count; i++)
        {
            if (cache.TryRead(Featurizer, keys[i], requests[i].Variant, out var cached))
                features[i] = cached;
            else
                missing.Add(i);
        }
        int fromCache = requests.Count - missing.Count;
        progress?.Report(new ProgressUpdate(taskName, fromCache, requests.Count));

        var computeWatch = Stopwatch.StartNew();
        if (missing.Count > 0)
        {
            using var runner = new OnnxFeaturizer(Featurizer.Path);
            var preprocessing = Featurizer.Preprocessing;
            for (int start = 0; start < missing.Count; start += batchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                var batch = missing.Skip(start).Take(batchSize).ToArray();
                var pixels = new float[batch.Length][];
                Parallel.For(0, batch.Length, j =>
                {
                    var request = requests[batch[j]];
                    var image = ImageTensor.Load(request.ImagePath, preprocessing.LoadWidth, preprocessing.LoadHeight, preprocessing.Resize);
                    if (request.Change is not null)
                        image = request.Change(image);
                    pixels[j] = image.ToModelInput(preprocessing.ChannelOrder);
                });
                var computed = runner.Run(pixels);
                for (int j = 0; j < batch.Length; j++)
                {
                    features[batch[j]] = computed[j];
                    cache.Write(Featurizer, keys[batch[j]], requests[batch[j]].Variant, computed[j]);
                }
                progress?.Report(new ProgressUpdate(taskName, fromCache + start + batch.Length, requests.Count));
            }
        }
        return new FeatureExtractionResult(features, fromCache, missing.Count, computeWatch.Elapsed, stopwatch.Elapsed);
    }

    private string ImageKeyOf(string path)
    {
        var info = new FileInfo(path);
        var identity = (info.FullName, info.Length, info.LastWriteTimeUtc);
        lock (_imageKeys)
            if (_imageKeys.TryGetValue(identity, out var known))
                return known;
        string key = FeatureCache.ImageKey(path);
        lock (_imageKeys)
            _imageKeys[identity] = key;
        return key;
    }
}

/// <summary>Features of a batch of requests and how they were obtained.</summary>
/// <param name="Features">One vector per request, in request order.</param>
/// <param name="FromCache">Vectors read from the cache.</param>
/// <param name="Computed">Vectors computed (and then cached).</param>
/// <param name="ComputeTime">Time spent computing (decode + resize + ONNX Runtime).</param>
/// <param name="TotalTime">Time in all, including hashing and cache reads.</param>
public sealed record FeatureExtractionResult(float[][] Features, int FromCache, int Computed, TimeSpan ComputeTime, TimeSpan TotalTime)
{
    /// <summary>Computed images per second (null when everything came from the cache).</summary>
    public double? ImagesPerSecond => Computed > 0 ? Computed / ComputeTime.TotalSeconds : null;
}
