using MLPipelines.Imaging;
using MLPipelines.Reports;
using MLPipelines.Scoring;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Interpretability;

/// <summary>
/// Fools a classifier with a small perturbation of the pixels (FGSM or PGD, through the TorchSharp bridge with gradients on
/// the input). Every step stays on the 8-bit grid (whole pixel values, clamped to 0–255, at most ε from the original), so the
/// adversarial image saved as a PNG is exactly the one that was tested.
/// </summary>
public static class AdversarialAttack
{
    /// <summary>Attacks one image given as 0–255 pixels [1,3,H,W] of the classifier's pixel size.</summary>
    public static AdversarialExample Run(DifferentiableClassifier classifier, Tensor pixels, AdversarialOptions options)
    {
        options.Validate();
        if (options.TargetClass is int target && (target < 0 || target >= classifier.Classes.Count))
            throw new ArgumentException($"target class {target} is out of range: {classifier.Card.Name} has {classifier.Classes.Count} classes");
        using var scope = NewDisposeScope();
        var original = pixels.detach().round();
        var before = classifier.Probabilities(original);
        int originalClass = ArgMax(before);
        float epsilon = MathF.Floor(options.Epsilon);
        if (epsilon < 1) throw new ArgumentException($"epsilon {options.Epsilon} is below one pixel step; an 8-bit image cannot change by less");
        var lower = (original - epsilon).clamp_min(0);
        var upper = (original + epsilon).clamp_max(255);
        using var labels = tensor(new long[] { options.TargetClass ?? originalClass });
        bool targeted = options.TargetClass is not null;

        var current = original.clone();
        if (options.Method == AttackMethod.Pgd && options.RandomStart)
        {
            var generator = new Generator((ulong)options.Seed);
            var noise = (rand(original.shape, generator: generator) * (2 * epsilon + 1)).floor() - epsilon;
            current = (original + noise).clamp(lower, upper);
        }
        int steps = options.Method == AttackMethod.Fgsm ? 1 : options.Steps;
        float stepSize = options.Method == AttackMethod.Fgsm ? epsilon : MathF.Round(options.EffectiveStepSize);
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var input = current.detach().requires_grad_(true);
            var loss = nn.functional.cross_entropy(classifier.Logits(input), labels);
            var gradient = autograd.grad([loss], [input])[0];
            // Untargeted: climb the loss of the original class. Targeted: descend the loss of the target class.
            var direction = targeted ? -gradient.sign() : gradient.sign();
            var next = (input.detach() + stepSize * direction).round().clamp(lower, upper);
            current = next.MoveToOuterDisposeScope();
        }

        var after = classifier.Probabilities(current);
        int adversarialClass = ArgMax(after);
        var difference = current - original;
        double linf = difference.abs().max().item<float>();
        double l2 = difference.norm().item<float>();
        bool success = targeted ? adversarialClass == options.TargetClass : adversarialClass != originalClass;
        return new AdversarialExample(DifferentiableClassifier.ToImage(original), DifferentiableClassifier.ToImage(current),
            Top(before, classifier.Classes, 3), Top(after, classifier.Classes, 3), originalClass, adversarialClass, linf, l2, success, options);
    }

    private static IReadOnlyList<ClassProbability> Top(float[] probabilities, IReadOnlyList<string> classes, int k) =>
        MisclassifiedExamples.TopK(probabilities, k).Select(i => new ClassProbability(i, classes[i], probabilities[i])).ToList();

    private static int ArgMax(float[] values) => Evaluation.ClassificationMetrics.ArgMax(values);
}

/// <summary>The outcome of one attack on one image.</summary>
/// <param name="Original">The image as the model sees it before cropping (pixel size of the classifier), [0,1].</param>
/// <param name="Adversarial">The adversarial image on the 8-bit grid, [0,1].</param>
/// <param name="Before">Top-3 classes of the original.</param>
/// <param name="After">Top-3 classes of the adversarial image.</param>
/// <param name="OriginalClass">Top-1 index before.</param>
/// <param name="AdversarialClass">Top-1 index after.</param>
/// <param name="LInf">Largest change of any pixel value, in 0–255 units.</param>
/// <param name="L2">Euclidean norm of the change, in 0–255 units.</param>
/// <param name="Success">Untargeted: the top-1 changed. Targeted: the top-1 is the target.</param>
/// <param name="Options">The attack settings.</param>
public sealed record AdversarialExample(ImageTensor Original, ImageTensor Adversarial, IReadOnlyList<ClassProbability> Before,
    IReadOnlyList<ClassProbability> After, int OriginalClass, int AdversarialClass, double LInf, double L2, bool Success, AdversarialOptions Options)
{
    /// <summary>The perturbation for display: 0.5 + change / (2ε), so ±ε maps to black and white.</summary>
    public ImageTensor AmplifiedPerturbation()
    {
        var result = new ImageTensor(Original.Width, Original.Height);
        float epsilon = MathF.Floor(Options.Epsilon) / 255f;
        for (int i = 0; i < result.Data.Length; i++)
            result.Data[i] = Math.Clamp(0.5f + (Adversarial.Data[i] - Original.Data[i]) / (2 * epsilon), 0f, 1f);
        return result;
    }
}
