using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Training;

/// <summary>
/// Cross-entropy against target distributions: per image −Σ_c t_c · log softmax(z)_c. Label smoothing ε replaces the targets
/// by (1 − ε)·t + ε/K (torch's <c>label_smoothing</c>); class weights w weigh each image by Σ_c t_c · w_c and the batch loss
/// is Σ_i w_i ℓ_i / Σ_i w_i, as torch's weighted <c>CrossEntropyLoss</c> does for hard labels.
/// </summary>
public static class SoftTargetCrossEntropy
{
    /// <summary>The mean loss of a batch: <paramref name="logits"/> [N, K], <paramref name="targets"/> [N, K] rows summing to 1.</summary>
    public static Tensor Compute(Tensor logits, Tensor targets, double labelSmoothing = 0, Tensor? classWeights = null)
    {
        using var scope = NewDisposeScope();
        long classes = logits.shape[1];
        var smoothed = labelSmoothing > 0 ? targets * (1 - labelSmoothing) + labelSmoothing / classes : targets;
        var perImage = -(smoothed * nn.functional.log_softmax(logits, 1)).sum(1);
        Tensor loss;
        if (classWeights is null)
            loss = perImage.mean();
        else
        {
            // The image weight comes from the unsmoothed targets: smoothing must not move weight between classes.
            var imageWeights = (targets * classWeights.unsqueeze(0)).sum(1);
            loss = (imageWeights * perImage).sum() / imageWeights.sum();
        }
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>scikit-learn's balanced weights n / (K · n_c) for labels <paramref name="labels"/> (classes without images get 0).</summary>
    public static float[] BalancedClassWeights(IReadOnlyList<int> labels, int classCount)
    {
        var counts = new int[classCount];
        foreach (int label in labels) counts[label]++;
        return counts.Select(n => n == 0 ? 0f : (float)labels.Count / (classCount * n)).ToArray();
    }
}
