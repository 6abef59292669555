namespace MLPipelines.Torch.Training;

/// <summary>Which weights a training run starts from and which it changes.</summary>
public enum TrainingMode
{
    /// <summary>A built-in architecture with seeded random initialization; every layer trains.</summary>
    Scratch,

    /// <summary>A pretrained backbone stays frozen (batch normalization uses its running statistics); only the new head trains.</summary>
    HeadOnly,

    /// <summary>Every layer of the pretrained backbone and the new head trains from the first epoch.</summary>
    Full,

    /// <summary>The head alone for <c>HeadEpochs</c> epochs, then every layer (fastai's <c>fine_tune</c>).</summary>
    Gradual,
}

/// <summary>Optimizer algorithm (TorchSharp's implementations).</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent with momentum, optional Nesterov momentum and L2 weight decay.</summary>
    Sgd,

    /// <summary>Adam with decoupled weight decay (Loshchilov and Hutter).</summary>
    AdamW,
}

/// <summary>How the learning rate changes during training.</summary>
public enum LearningRateScheduleKind
{
    /// <summary>The base learning rate throughout.</summary>
    Constant,

    /// <summary>Multiplied by <c>Gamma</c> every <c>StepEpochs</c> epochs (torch's StepLR).</summary>
    Step,

    /// <summary>Multiplied by <c>Gamma</c> every epoch (torch's ExponentialLR).</summary>
    Exponential,

    /// <summary>Linear warm-up for <c>WarmupEpochs</c>, then cosine decay to <c>MinLearningRate</c>, per step.</summary>
    Cosine,

    /// <summary>Leslie Smith's one-cycle policy with cosine annealing, per step (torch's OneCycleLR defaults).</summary>
    OneCycle,

    /// <summary>Multiplied by <c>Gamma</c> when the validation loss has not improved for <c>PlateauPatience</c> epochs.</summary>
    ReduceOnPlateau,
}

/// <summary>Per-class weights of the loss.</summary>
public enum ClassWeighting
{
    /// <summary>Every class weighs 1.</summary>
    None,

    /// <summary>Class c weighs n / (classes · n_c) (scikit-learn's "balanced"), so each class contributes equally.</summary>
    Balanced,
}

/// <summary>The validation metric that selects the best epoch and drives early stopping.</summary>
public enum EarlyStoppingMetric
{
    /// <summary>Validation accuracy (higher is better); ties go to the lower validation loss.</summary>
    Accuracy,

    /// <summary>Validation cross-entropy (lower is better).</summary>
    Loss,
}
