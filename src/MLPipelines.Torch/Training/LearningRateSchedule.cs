namespace MLPipelines.Torch.Training;

/// <summary>
/// The learning-rate multiplier of every optimizer step. Step-based schedules are pure functions of the global step, so a
/// resumed run computes exactly the rates of an uninterrupted one; reduce-on-plateau keeps its small state in
/// <see cref="PlateauState"/>, which checkpoints save. (TorchSharp's lr_scheduler classes mutate the optimizer and cannot
/// be restored from a checkpoint, hence this class.)
/// </summary>
public sealed class LearningRateSchedule
{
    private readonly LearningRateScheduleKind _kind;
    private readonly int _stepsPerEpoch;
    private readonly int _totalSteps;
    private readonly double _gamma;
    private readonly int _stepEpochs;
    private readonly double _warmupSteps;
    private readonly double _minFactor;
    private readonly int _plateauPatience;

    /// <summary>A schedule over <paramref name="epochs"/> epochs of <paramref name="stepsPerEpoch"/> steps.</summary>
    public LearningRateSchedule(LearningRateScheduleKind kind, int epochs, int stepsPerEpoch, double baseLearningRate,
        double gamma = 0.1, int stepEpochs = 5, double warmupEpochs = 0, double minLearningRate = 0, int plateauPatience = 2)
    {
        if (epochs < 1 || stepsPerEpoch < 1) throw new ArgumentException("a schedule needs at least one epoch and one step per epoch");
        _kind = kind;
        _stepsPerEpoch = stepsPerEpoch;
        _totalSteps = epochs * stepsPerEpoch;
        _gamma = gamma;
        _stepEpochs = stepEpochs;
        _warmupSteps = warmupEpochs * stepsPerEpoch;
        _minFactor = minLearningRate / baseLearningRate;
        _plateauPatience = plateauPatience;
    }

    /// <summary>The schedule described by trainer options.</summary>
    public static LearningRateSchedule For(ImageClassificationTrainer.Options options, int stepsPerEpoch) =>
        new(options.Schedule, options.Epochs, stepsPerEpoch, options.EffectiveLearningRate, options.Gamma, options.StepEpochs,
            options.WarmupEpochs, options.MinLearningRate, options.PlateauPatience);

    /// <summary>State of reduce-on-plateau (best loss so far, epochs without improvement, reductions made).</summary>
    public PlateauState Plateau { get; set; } = new();

    /// <summary>The multiplier of the base learning rate at global step <paramref name="step"/> (0-based).</summary>
    public double Factor(int step)
    {
        int epoch = step / _stepsPerEpoch;
        switch (_kind)
        {
            case LearningRateScheduleKind.Constant:
                return 1;
            case LearningRateScheduleKind.Step:
                return Math.Pow(_gamma, epoch / _stepEpochs);
            case LearningRateScheduleKind.Exponential:
                return Math.Pow(_gamma, epoch);
            case LearningRateScheduleKind.ReduceOnPlateau:
                return Math.Pow(_gamma, Plateau.Reductions);
            case LearningRateScheduleKind.Cosine:
                if (step < _warmupSteps)
                    return (step + 1) / _warmupSteps;
                double progress = (step - _warmupSteps) / Math.Max(1, _totalSteps - _warmupSteps);
                return _minFactor + (1 - _minFactor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
            case LearningRateScheduleKind.OneCycle:
                return OneCycle(step);
            default:
                throw new ArgumentOutOfRangeException(nameof(step), $"unknown schedule {_kind}");
        }
    }

    // torch.optim.lr_scheduler.OneCycleLR with its defaults: pct_start 0.3, div_factor 25, final_div_factor 1e4, cosine
    // annealing; the peak is the base learning rate.
    private double OneCycle(int step)
    {
        const double pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4;
        double initial = 1 / divFactor, final = initial / finalDivFactor;
        double peakStep = pctStart * _totalSteps - 1;
        double lastStep = _totalSteps - 1;
        if (step <= peakStep)
            return CosineAnneal(initial, 1, peakStep <= 0 ? 1 : step / peakStep);
        return CosineAnneal(1, final, (step - peakStep) / (lastStep - peakStep));
    }

    private static double CosineAnneal(double start, double end, double fraction) =>
        end + (start - end) / 2 * (1 + Math.Cos(Math.PI * fraction));

    /// <summary>Tells reduce-on-plateau the validation loss of the epoch that just ended (no effect on other schedules).</summary>
    public void EndEpoch(double validationLoss)
    {
        if (_kind != LearningRateScheduleKind.ReduceOnPlateau || double.IsNaN(validationLoss)) return;
        // torch's default relative threshold: an improvement must beat the best by 0.01%.
        if (validationLoss < Plateau.BestLoss * (1 - 1e-4))
        {
            Plateau.BestLoss = validationLoss;
            Plateau.BadEpochs = 0;
        }
        else if (++Plateau.BadEpochs > _plateauPatience)
        {
            Plateau.Reductions++;
            Plateau.BadEpochs = 0;
        }
    }

    /// <summary>Reduce-on-plateau bookkeeping, saved in checkpoints.</summary>
    public sealed class PlateauState
    {
        /// <summary>Lowest validation loss seen.</summary>
        public double BestLoss { get; set; } = double.PositiveInfinity;

        /// <summary>Epochs since the last improvement (or reduction).</summary>
        public int BadEpochs { get; set; }

        /// <summary>Times the rate has been multiplied by gamma.</summary>
        public int Reductions { get; set; }
    }
}
