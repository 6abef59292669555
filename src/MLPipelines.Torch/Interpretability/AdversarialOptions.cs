namespace MLPipelines.Torch.Interpretability;

/// <summary>How to attack: FGSM (one step) or PGD (iterated, projected), untargeted or targeted, under an L∞ budget.</summary>
public sealed class AdversarialOptions
{
    /// <summary>The attack. Default <see cref="AttackMethod.Pgd"/>.</summary>
    public AttackMethod Method { get; set; } = AttackMethod.Pgd;

    /// <summary>L∞ budget in pixel units of the 0–255 image (8 = 8/255). Whole numbers keep the attack exact in 8-bit PNGs. Default 8.</summary>
    public float Epsilon { get; set; } = 8;

    /// <summary>PGD iterations. Default 10.</summary>
    public int Steps { get; set; } = 10;

    /// <summary>PGD step in pixel units. Default: 2.5·ε/steps rounded, at least 1 (Madry et al.'s choice, on the 8-bit grid).</summary>
    public float? StepSize { get; set; }

    /// <summary>Class index to turn every image into; null for an untargeted attack (move away from the original top-1). Default null.</summary>
    public int? TargetClass { get; set; }

    /// <summary>PGD starts from a random point of the ε-ball (seeded) instead of the image. Default false.</summary>
    public bool RandomStart { get; set; }

    /// <summary>Seed of the random start. Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>The PGD step actually used.</summary>
    public float EffectiveStepSize => StepSize ?? Math.Max(1f, MathF.Round(2.5f * Epsilon / Math.Max(1, Steps)));

    /// <summary>Throws a one-line error for unusable values.</summary>
    public void Validate()
    {
        if (!(Epsilon > 0) || Epsilon > 255) throw new ArgumentException($"epsilon must be in (0, 255] pixel units; got {Epsilon}");
        if (Method == AttackMethod.Pgd && Steps < 1) throw new ArgumentException($"PGD needs at least one step; got {Steps}");
        if (StepSize is float step && !(step > 0)) throw new ArgumentException($"the step size must be positive; got {step}");
    }

    /// <summary>A short description for reports, e.g. "PGD ε=8, 10 steps of 2, targeted".</summary>
    public string Describe(IReadOnlyList<string>? classes = null, bool withEpsilon = true)
    {
        string target = TargetClass is int t ? $", targeted at {(classes is null ? t.ToString() : classes[t])}" : ", untargeted";
        string epsilon = withEpsilon ? $" ε={Epsilon:g}," : "";
        return Method == AttackMethod.Fgsm
            ? $"FGSM{epsilon.TrimEnd(',')}{target}"
            : $"PGD{epsilon} {Steps} steps of {(StepSize is null && !withEpsilon ? "2.5·ε/steps (at least 1)" : EffectiveStepSize.ToString("g"))}{(RandomStart ? ", random start" : "")}{target}";
    }

    /// <summary>A copy with another budget and method.</summary>
    public AdversarialOptions With(float epsilon, AttackMethod method) => new()
    {
        Method = method, Epsilon = epsilon, Steps = Steps, StepSize = StepSize, TargetClass = TargetClass, RandomStart = RandomStart, Seed = Seed,
    };
}

/// <summary>Gradient-sign attacks under an L∞ budget.</summary>
public enum AttackMethod
{
    /// <summary>Fast gradient sign method (Goodfellow et al., 2015): one step of ε along the sign of the gradient.</summary>
    Fgsm,

    /// <summary>Projected gradient descent (Madry et al., 2018): repeated sign steps, projected back into the ε-ball.</summary>
    Pgd,
}
