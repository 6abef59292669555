namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// torchvision v2's MixUp (Zhang et al., 2018): with probability p per batch, one λ ~ Beta(α, α) and every image becomes
/// λ · x_i + (1 − λ) · x_(i−1), targets mixed by the same λ.
/// </summary>
public sealed class Mixup(double alpha = 1.0, double probability = 1.0) : RolledBetaMix("mixup", alpha, probability)
{
    /// <inheritdoc/>
    protected override (ImageTensor[] Images, double Kept) Mix(IReadOnlyList<ImageTensor> images, int[] partner, double lambda, Random random)
    {
        float own = (float)lambda, other = (float)(1 - lambda);
        var mixed = new ImageTensor[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            var a = images[i].Data;
            var b = images[partner[i]].Data;
            var result = new ImageTensor(images[i].Width, images[i].Height);
            for (int k = 0; k < a.Length; k++) result.Data[k] = own * a[k] + other * b[k];
            mixed[i] = result;
        }
        return (mixed, lambda);
    }
}
