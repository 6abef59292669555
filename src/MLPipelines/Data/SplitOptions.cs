namespace MLPipelines.Data;

/// <summary>How a dataset is split into train, validation and test sets.</summary>
public sealed class SplitOptions
{
    /// <summary>
    /// Fraction of each class used for training (the rest is the test set). Default: 0.1 (PACS few-shot). Ignored when
    /// <see cref="TestFraction"/> is set.
    /// </summary>
    public double TrainFraction { get; init; } = 0.1;

    /// <summary>
    /// Fraction of each class used for testing (the rest trains). With the same seed, test fraction f selects exactly the images
    /// that train fraction f selects, so <c>test-fraction: 0.1</c> is the reverse of <c>train-fraction: 0.1</c>. Default: none.
    /// </summary>
    public double? TestFraction { get; init; }

    /// <summary>Fraction of each class's training images held out for validation (model selection). Default: 0.2.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Seed of the per-class shuffles. Default: 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Optional cap on training images per class (train + validation), e.g. for quick runs. Default: none.</summary>
    public int? MaxTrainPerClass { get; init; }

    /// <summary>Optional cap on test images per class, e.g. for quick runs. Default: none.</summary>
    public int? MaxTestPerClass { get; init; }

    /// <summary>Checks the fractions; throws a one-line error.</summary>
    public void Validate()
    {
        if (TestFraction is double test && !(test > 0 && test < 1))
            throw new DataException($"test fraction must be between 0 and 1 (exclusive), got {test}");
        if (TestFraction is null && !(TrainFraction > 0 && TrainFraction < 1))
            throw new DataException($"train fraction must be between 0 and 1 (exclusive), got {TrainFraction}");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw new DataException($"validation fraction must be in [0, 1), got {ValidationFraction}");
    }
}
