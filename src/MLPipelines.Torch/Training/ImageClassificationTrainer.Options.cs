using Microsoft.ML;
using MLPipelines.Imaging.Augmentation;

namespace MLPipelines.Torch.Training;

public sealed partial class ImageClassificationTrainer
{
    /// <summary>
    /// Every setting of an image classification training run. Each property documents its default; the defaults are a sound
    /// fine-tuning recipe for a pretrained MobileNetV2 on a few hundred images.
    /// </summary>
    public sealed class Options
    {
        /// <summary>Name of the text column holding class names. Default <c>Label</c>.</summary>
        public string LabelColumnName { get; set; } = ColumnNames.Label;

        /// <summary>Name of the text column holding image file paths. Default <c>ImagePath</c>.</summary>
        public string ImagePathColumnName { get; set; } = ColumnNames.ImagePath;

        /// <summary>Which weights train. Default <see cref="TrainingMode.Full"/>.</summary>
        public TrainingMode Mode { get; set; } = TrainingMode.Full;

        /// <summary>Built-in architecture for <see cref="TrainingMode.Scratch"/> (resnet18, mobilenetv2, convnet, ...). Default <c>resnet18</c>.</summary>
        public string Architecture { get; set; } = "resnet18";

        /// <summary>Settings of <see cref="Architecture"/> as the architecture's option names (e.g. <c>hidden-sizes: 16,32</c>); classes, input size and seed come from these options. Default: none.</summary>
        public Dictionary<string, string> ArchitectureSettings { get; set; } = [];

        /// <summary>Pretrained backbone: a catalog model name or an .onnx path. Default <c>mobilenetv2-1.0-bn-features</c>.</summary>
        public string Backbone { get; set; } = "mobilenetv2-1.0-bn-features";

        /// <summary>Tensor of the backbone that feeds the new head. Default <c>features</c>.</summary>
        public string CutAt { get; set; } = "features";

        /// <summary>Continue training from this model.zip or .onnx classifier instead of a fresh head. Default: none.</summary>
        public string? ContinueFrom { get; set; }

        /// <summary>Side of the square training images (decoded once at this size, centre crop). Default 224.</summary>
        public int ImageSize { get; set; } = 224;

        /// <summary>Passes over the training set. Default 10.</summary>
        public int Epochs { get; set; } = 10;

        /// <summary>Images per optimizer step. Default 16.</summary>
        public int BatchSize { get; set; } = 16;

        /// <summary>Optimizer. Default <see cref="OptimizerKind.Sgd"/>.</summary>
        public OptimizerKind Optimizer { get; set; } = OptimizerKind.Sgd;

        /// <summary>
        /// Base (head) learning rate. Default (null): 0.01 for <see cref="TrainingMode.Scratch"/> and
        /// <see cref="TrainingMode.HeadOnly"/>, 0.001 for <see cref="TrainingMode.Full"/> and <see cref="TrainingMode.Gradual"/>,
        /// because 0.01 wrecks a pretrained backbone (PACS cartoon few-shot, full fine-tune at 160 px: 67% test at 0.01, 85% at
        /// 0.003). See <see cref="EffectiveLearningRate"/>.
        /// </summary>
        public double? LearningRate { get; set; }

        /// <summary>The learning rate in effect: <see cref="LearningRate"/>, or the default of <see cref="Mode"/>.</summary>
        public double EffectiveLearningRate => LearningRate ?? (Mode is TrainingMode.Full or TrainingMode.Gradual ? 0.001 : 0.01);

        /// <summary>
        /// End training after this epoch while the learning-rate schedule still spans <see cref="Epochs"/>: refitting a setting
        /// whose best epoch was found on validation repeats that run's learning rates up to that epoch. Default null (every epoch).
        /// </summary>
        public int? StopAfterEpoch { get; set; }

        /// <summary>Backbone learning rate = <see cref="LearningRate"/> × this factor (Full and Gradual). Default 1 (same rate).</summary>
        public double BackboneLearningRateFactor { get; set; } = 1.0;

        /// <summary>SGD momentum. Default 0.9.</summary>
        public double Momentum { get; set; } = 0.9;

        /// <summary>SGD Nesterov momentum. Default false.</summary>
        public bool Nesterov { get; set; }

        /// <summary>Weight decay (L2 for SGD, decoupled for AdamW). Default 1e-4.</summary>
        public double WeightDecay { get; set; } = 1e-4;

        /// <summary>Learning-rate schedule. Default <see cref="LearningRateScheduleKind.Cosine"/>.</summary>
        public LearningRateScheduleKind Schedule { get; set; } = LearningRateScheduleKind.Cosine;

        /// <summary>Linear warm-up epochs of the cosine schedule. Default 0.</summary>
        public double WarmupEpochs { get; set; }

        /// <summary>Final learning rate of the cosine schedule. Default 0.</summary>
        public double MinLearningRate { get; set; }

        /// <summary>Multiplier of the step, exponential and plateau schedules. Default 0.1.</summary>
        public double Gamma { get; set; } = 0.1;

        /// <summary>Epochs between multiplications of the step schedule. Default 5.</summary>
        public int StepEpochs { get; set; } = 5;

        /// <summary>Epochs without validation-loss improvement before reduce-on-plateau lowers the rate. Default 2.</summary>
        public int PlateauPatience { get; set; } = 2;

        /// <summary>Mass given to the uniform distribution in the targets (0 = none). Default 0.</summary>
        public double LabelSmoothing { get; set; }

        /// <summary>Per-class loss weights. Default <see cref="ClassWeighting.None"/>.</summary>
        public ClassWeighting ClassWeights { get; set; } = ClassWeighting.None;

        /// <summary>Draw each epoch's images with replacement so every class is equally likely (WeightedRandomSampler). Default false.</summary>
        public bool BalancedSampler { get; set; }

        /// <summary>Epochs the head trains alone in <see cref="TrainingMode.Gradual"/>. Default 1.</summary>
        public int HeadEpochs { get; set; } = 1;

        /// <summary>Metric that picks the best epoch (whose weights are restored) and drives early stopping. Default accuracy.</summary>
        public EarlyStoppingMetric EarlyStoppingMetric { get; set; } = EarlyStoppingMetric.Accuracy;

        /// <summary>Stop after this many epochs without improvement; null trains every epoch (the best is still restored). Default null.</summary>
        public int? EarlyStoppingPatience { get; set; }

        /// <summary>Smallest change of the metric that counts as an improvement. Default 0.</summary>
        public double EarlyStoppingMinDelta { get; set; }

        /// <summary>
        /// Epochs whose validation metric is averaged when judging an epoch for best-epoch selection and early stopping: the
        /// mean over the last n epochs (fewer at the start), and the best window's last epoch is restored. Default 1 (each
        /// epoch alone, as Keras and PyTorch Lightning do). Use 3 with validation sets of tens of images, where one image is
        /// several points and a lucky early epoch otherwise wins.
        /// </summary>
        public int SelectionWindow { get; set; } = 1;

        /// <summary>Fraction of the training data held out (stratified, seeded) when no validation set is given. Default 0.2.</summary>
        public double ValidationFraction { get; set; } = 0.2;

        /// <summary>Explicit validation data (same columns as the training data); overrides <see cref="ValidationFraction"/>. Default: none.</summary>
        public IDataView? ValidationData { get; set; }

        /// <summary>Per-image training augmentation; overrides the per-sample part of <see cref="AugmentationSpec"/>. Default: none.</summary>
        public IImageAugmentation? Augmentation { get; set; }

        /// <summary>
        /// Augmentation as spec text: a preset name (<c>reference-pacs</c>, <c>strong</c>) or a list such as
        /// <c>hflip(p=0.5), crop(size=200), mixup(alpha=0.2)</c> (see docs/augmentation.md). Default <c>none</c>.
        /// </summary>
        public string AugmentationSpec { get; set; } = "none";

        /// <summary>Batch-level augmentation with soft targets (mixup, cutmix, collage); overrides the spec's batch part. Default: none.</summary>
        public IBatchAugmentation? BatchAugmentation { get; set; }

        /// <summary>Seed of the split, initialization, batch order, augmentations and dropout. Default 42.</summary>
        public int Seed { get; set; } = 42;

        /// <summary>Folder for per-epoch checkpoints; null keeps none. Default null.</summary>
        public string? CheckpointFolder { get; set; }

        /// <summary>Continue from the last checkpoint in <see cref="CheckpointFolder"/> when there is one. Default false.</summary>
        public bool Resume { get; set; }

        /// <summary>
        /// Folder that receives the exported <c>network.onnx</c>; null uses a new folder under the temp directory that the next
        /// fit of a later process deletes (<see cref="TrainerScratchFolder"/>). Default null.
        /// </summary>
        public string? ModelFolder { get; set; }

        /// <summary>Dropout before the new head's linear layer. Default 0.</summary>
        public double HeadDropout { get; set; }

        /// <summary>
        /// Batch normalization keeps normalizing with the pretrained running statistics during training and never updates them
        /// (its scale and bias still train), as detection and few-shot fine-tuning recipes do: a batch of 16 images estimates
        /// mean and variance worse than the pretrained statistics. Default false (batch statistics in training, as PyTorch's
        /// train mode).
        /// </summary>
        public bool FreezeBatchNormStatistics { get; set; }

        /// <summary>TorchSharp intra-op threads. Default 2 (the machine this was tuned on has 2 cores).</summary>
        public int Threads { get; set; } = 2;

        /// <summary>
        /// In <see cref="TrainingMode.HeadOnly"/> without augmentation, compute the frozen backbone's output once per image and
        /// train the head on the stored outputs (<see cref="BackboneOutputCache"/>) instead of running the backbone every step.
        /// The steps, batches and seeds are the same; only floating-point rounding can differ. Default true; it applies only
        /// to networks that can run their head alone and whose backbone has no dropout.
        /// </summary>
        public bool StoreFrozenBackboneOutputs { get; set; } = true;

        /// <summary>
        /// Training steps between two returns of glibc's cached free heap to the system
        /// (<see cref="MLPipelines.Diagnostics.NativeHeapTrimmer"/>): without them the resident size creeps up for a hundred
        /// steps or more after the memory in use has stopped growing. 0 never trims. Default 25 (the cost, one re-fault of
        /// the freed activation pages per period, is measured in docs/onnx-bridge.md).
        /// </summary>
        public int TrimNativeHeapEverySteps { get; set; } = MLPipelines.Diagnostics.NativeHeapTrimmer.DefaultEverySteps;

        /// <summary>Batches prepared ahead by the background loader. Default 4.</summary>
        public int PrefetchBatches { get; set; } = 4;

        /// <summary>Called after every epoch with its metrics. Default: none.</summary>
        public Action<EpochMetrics>? EpochCompleted { get; set; }

        /// <summary>Progress per batch with an ETA in <see cref="ProgressUpdate.Detail"/>. Default: none.</summary>
        public IProgress<ProgressUpdate>? Progress { get; set; }

        /// <summary>
        /// The per-image augmentation in effect. The network runs at one input size (<see cref="ImageSize"/>), so a spec that
        /// changes the size (reference-pacs crops 200 px) is followed by a resize back to it, as docs/augmentation.md suggests.
        /// </summary>
        public IImageAugmentation ResolveAugmentation()
        {
            if (Augmentation is not null) return Augmentation;
            var spec = Imaging.Augmentation.AugmentationSpec.Parse(AugmentationSpec);
            var size = Imaging.Augmentation.ImageSize.Square(ImageSize);
            if (spec.PreservesSize || spec.OutputSizeFor(size) == size) return spec.PerSample;
            var resize = Imaging.Augmentation.AugmentationSpec.Parse($"resize(size=[{ImageSize}, {ImageSize}])").PerSample;
            return new AugmentationPipeline([.. spec.PerSample.Steps, .. resize.Steps]);
        }

        /// <summary>The batch augmentation in effect, or null.</summary>
        public IBatchAugmentation? ResolveBatchAugmentation() => BatchAugmentation ?? Imaging.Augmentation.AugmentationSpec.Parse(AugmentationSpec).Batch;

        /// <summary>Throws a one-line <see cref="ArgumentException"/> naming the first unusable setting.</summary>
        public void Validate()
        {
            static void Require(bool ok, string message)
            {
                if (!ok) throw new ArgumentException("image classification trainer: " + message);
            }
            Require(ImageSize >= 8, $"ImageSize must be at least 8, got {ImageSize}");
            Require(Epochs >= 1, $"Epochs must be at least 1, got {Epochs}");
            Require(StopAfterEpoch is null || StopAfterEpoch >= 1 && StopAfterEpoch <= Epochs, $"StopAfterEpoch must be in [1, Epochs], got {StopAfterEpoch}");
            Require(BatchSize >= 1, $"BatchSize must be at least 1, got {BatchSize}");
            Require(LearningRate is null or > 0, $"LearningRate must be positive, got {LearningRate}");
            Require(BackboneLearningRateFactor >= 0, $"BackboneLearningRateFactor must be 0 or more, got {BackboneLearningRateFactor}");
            Require(LabelSmoothing is >= 0 and < 1, $"LabelSmoothing must be in [0, 1), got {LabelSmoothing}");
            Require(ValidationFraction is >= 0 and < 1, $"ValidationFraction must be in [0, 1), got {ValidationFraction}");
            Require(Gamma > 0, $"Gamma must be positive, got {Gamma}");
            Require(StepEpochs >= 1, $"StepEpochs must be at least 1, got {StepEpochs}");
            Require(WarmupEpochs >= 0 && WarmupEpochs < Epochs, $"WarmupEpochs must be in [0, Epochs), got {WarmupEpochs}");
            Require(Mode != TrainingMode.Gradual || HeadEpochs is >= 0 && HeadEpochs < Epochs, $"HeadEpochs must be in [0, Epochs) for Gradual, got {HeadEpochs}");
            Require(SelectionWindow >= 1, $"SelectionWindow must be at least 1, got {SelectionWindow}");
            Require(EarlyStoppingPatience is null or >= 1, $"EarlyStoppingPatience must be at least 1, got {EarlyStoppingPatience}");
            Require(!Resume || CheckpointFolder != null, "Resume needs a CheckpointFolder");
            try
            {
                Imaging.Augmentation.AugmentationSpec.Parse(AugmentationSpec);
            }
            catch (FormatException e)
            {
                Require(false, $"AugmentationSpec '{AugmentationSpec}': {e.Message}");
            }
            Require(Threads >= 1 && PrefetchBatches >= 1, "Threads and PrefetchBatches must be at least 1");
            Require(TrimNativeHeapEverySteps >= 0, $"TrimNativeHeapEverySteps must be 0 (never) or more, got {TrimNativeHeapEverySteps}");
        }
    }
}
