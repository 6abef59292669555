namespace MLPipelines.Pipelines;

/// <summary>The split section of a pipeline: stratified, seeded fractions.</summary>
public sealed class SplitDefinition
{
    /// <summary>Fraction of each class used for training; the rest is test. Default 0.1.</summary>
    public double TrainFraction { get; set; } = 0.1;

    /// <summary>Alternatively, the fraction of each class used for testing; with the same seed it selects the same images as the
    /// same train fraction, so it gives the exact reverse split. Default: none (use <see cref="TrainFraction"/>).</summary>
    public double? TestFraction { get; set; }

    /// <summary>"train fraction 0.1" or "test fraction 0.1", for reports.</summary>
    public string Describe() => TestFraction is double test ? $"test fraction {test:0.##}" : $"train fraction {TrainFraction:0.##}";

    /// <summary>Fraction of the training split held out for validation. Default 0.2.</summary>
    public double ValidationFraction { get; set; } = 0.2;

    /// <summary>Split seed; <c>--seed</c> overrides it. Default 42.</summary>
    public int Seed { get; set; } = 42;
}

/// <summary>What <c>--quick</c> cuts: a small subset for smoke runs.</summary>
public sealed class QuickDefinition
{
    /// <summary>Training images per class (train + validation) in quick mode. Default 10.</summary>
    public int MaxTrainPerClass { get; set; } = 10;

    /// <summary>Test images per class in quick mode. Default 20.</summary>
    public int MaxTestPerClass { get; set; } = 20;
}
