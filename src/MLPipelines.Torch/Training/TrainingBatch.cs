namespace MLPipelines.Torch.Training;

/// <summary>A prepared batch: normalized planar pixels [N, 3, H, W] and target distributions [N, K], as plain arrays.</summary>
/// <param name="Pixels">Normalized pixel values, image after image (stored backbone outputs when <paramref name="SampleShape"/> is set).</param>
/// <param name="Targets">Target probabilities, row-major [image, class].</param>
/// <param name="Labels">Class index of each (unmixed) source image, for training accuracy.</param>
/// <param name="Count">Images in the batch.</param>
/// <param name="Width">Image width.</param>
/// <param name="Height">Image height.</param>
/// <param name="SampleShape">Shape of one sample when the batch holds backbone outputs instead of images (see <see cref="BackboneOutputCache"/>); null for images.</param>
public sealed record TrainingBatch(float[] Pixels, float[] Targets, int[] Labels, int Count, int Width, int Height, long[]? SampleShape = null)
{
    /// <summary>The input tensor's shape: [N, 3, H, W] for images, [N, ..<see cref="SampleShape"/>] for backbone outputs.</summary>
    public long[] InputShape => SampleShape is null ? [Count, 3, Height, Width] : [Count, .. SampleShape];
}
