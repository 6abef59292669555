namespace MLPipelines.Torch.Training;

/// <summary>Per-channel (x − mean) / std of [0,1] RGB pixels: ImageNet's for pretrained backbones, the training set's for scratch.</summary>
/// <param name="Mean">Mean of R, G, B.</param>
/// <param name="Std">Standard deviation of R, G, B.</param>
public sealed record Normalization(float[] Mean, float[] Std)
{
    /// <summary>torchvision's ImageNet statistics.</summary>
    public static Normalization ImageNet { get; } = new(
        [.. Catalog.PreprocessingSpec.ImageNetMean], [.. Catalog.PreprocessingSpec.ImageNetStd]);

    /// <summary>Writes the normalized values of one planar image (<paramref name="plane"/> values per channel) to <paramref name="output"/>.</summary>
    public void Apply(ReadOnlySpan<float> pixels, Span<float> output, int plane)
    {
        for (int c = 0; c < 3; c++)
        {
            float mean = Mean[c], scale = 1f / Std[c];
            var source = pixels.Slice(c * plane, plane);
            var target = output.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++)
                target[i] = (source[i] - mean) * scale;
        }
    }
}
