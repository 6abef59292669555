namespace MLPipelines.Torch.Training;

/// <summary>A prepared batch: normalized planar pixels [N, 3, H, W] and target distributions [N, K], as plain arrays.</summary>
/// <param name="Pixels">Normalized pixel values, image after image.</param>
/// <param name="Targets">Target probabilities, row-major [image, class].</param>
/// <param name="Labels">Class index of each (unmixed) source image, for training accuracy.</param>
/// <param name="Count">Images in the batch.</param>
/// <param name="Width">Image width.</param>
/// <param name="Height">Image height.</param>
public sealed record TrainingBatch(float[] Pixels, float[] Targets, int[] Labels, int Count, int Width, int Height);
