using MLPipelines.Experiments;
using MLPipelines.Imaging.Augmentation;
using MLPipelines.Pipelines;
using YamlDotNet.Serialization;
using ScheduleKind = MLPipelines.Torch.Training.LearningRateScheduleKind;

namespace MLPipelines.Torch.Experiments.Cifar10ConvNet;

/// <summary>
/// The <c>cifar10-convnet</c> experiment (YAML <c>experiment: cifar10-convnet</c>): the course ConvNet on CIFAR-10 with and
/// without batch norm, best versus last epoch, augmentation, a dropout sweep, an LR schedule against a constant rate, SGD with
/// momentum against AdamW, first-layer filters, and MobileNetV2 transfer (head only, full, scratch) at two image sizes.
/// Every key has a default; the defaults are a CPU budget, <c>cifar10-convnet-full.yaml</c> is the reference setting.
/// </summary>
public sealed class Cifar10ConvNetDefinition : IExperimentDefinition
{
    /// <summary>The experiment kind.</summary>
    public const string Kind = "cifar10-convnet";

    /// <summary>Always <c>cifar10-convnet</c>.</summary>
    public string Experiment { get; set; } = Kind;

    /// <inheritdoc/>
    public string Name { get; set; } = Kind;

    /// <inheritdoc/>
    public string Description { get; set; } = "";

    /// <summary>Seed of the initial weights, batch order, augmentation and dropout (overridden by --seed).</summary>
    public int Seed { get; set; } = 42;

    /// <summary>TorchSharp intra-op threads (1 or 2: the machine budget).</summary>
    public int Threads { get; set; } = 2;

    /// <summary>How many CIFAR-10 images each split uses.</summary>
    public DataSettings Data { get; set; } = new();

    /// <summary>The ConvNet runs (BN, no BN, augmentation, schedule, optimizer).</summary>
    public TrainingSettings Training { get; set; } = new();

    /// <summary>The dropout sweep.</summary>
    public DropoutSweepSettings DropoutSweep { get; set; } = new();

    /// <summary>MobileNetV2 transfer runs.</summary>
    public TransferSettings Transfer { get; set; } = new();

    /// <summary>What --quick changes.</summary>
    public QuickSettings Quick { get; set; } = new();

    /// <summary>Where the definition was read from.</summary>
    [YamlIgnore]
    public string Origin { get; set; } = "";

    /// <summary>
    /// Subset sizes. Training and validation images both come from CIFAR-10's training split: per class, the first
    /// <see cref="TrainPerClass"/> images in the original order train and the next <see cref="ValidationPerClass"/> validate,
    /// so a larger budget always contains a smaller one. Test images are the first <see cref="TestPerClass"/> of each class
    /// of the test split.
    /// </summary>
    public sealed class DataSettings
    {
        /// <summary>Training images per class (the full setting: 4500).</summary>
        public int TrainPerClass { get; set; } = 50;

        /// <summary>Validation images per class, disjoint from training (the full setting: 500).</summary>
        public int ValidationPerClass { get; set; } = 30;

        /// <summary>Test images per class (at most 1000: the whole test split).</summary>
        public int TestPerClass { get; set; } = 50;
    }

    /// <summary>Settings shared by the ConvNet runs; each comparison changes one of them.</summary>
    public sealed class TrainingSettings
    {
        /// <summary>Epochs of every ConvNet run (the reference: 50).</summary>
        public int Epochs { get; set; } = 3;

        /// <summary>Images per step.</summary>
        public int BatchSize { get; set; } = 32;

        /// <summary>SGD learning rate (momentum 0.9).</summary>
        public double LearningRate { get; set; } = 0.01;

        /// <summary>AdamW learning rate of the optimizer comparison.</summary>
        public double AdamLearningRate { get; set; } = 0.001;

        /// <summary>Schedule of the baseline runs: cosine, step, exponential, one-cycle or reduce-on-plateau (compared against constant).</summary>
        public string Schedule { get; set; } = "cosine";

        /// <summary>Stop after this many epochs without validation improvement; null trains every epoch. The best epoch is restored either way.</summary>
        public int? EarlyStoppingPatience { get; set; }

        /// <summary>Augmentation of the augmentation run (spec text; the <c>cifar</c> preset is the list).</summary>
        public string Augmentation { get; set; } = "cifar";
    }

    /// <summary>Dropout after every ConvNet block (with BN), one run per value, at a smaller epoch budget.</summary>
    public sealed class DropoutSweepSettings
    {
        /// <summary>Dropout probabilities.</summary>
        public List<double> Values { get; set; } = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

        /// <summary>Epochs per sweep point (fewer than the main runs: the sweep is the expensive part).</summary>
        public int Epochs { get; set; } = 2;
    }

    /// <summary>Pretrained MobileNetV2 (head only, full fine-tune) and MobileNetV2 from scratch, per image size.</summary>
    public sealed class TransferSettings
    {
        /// <summary>Catalog backbone (cut at <see cref="CutAt"/>).</summary>
        public string Backbone { get; set; } = "mobilenetv2-1.0-bn-features";

        /// <summary>Tensor the new linear head reads.</summary>
        public string CutAt { get; set; } = "features";

        /// <summary>Square sizes the 32×32 images are upsampled to (antialiased bilinear); 32 keeps them; none skips the transfer runs.</summary>
        public List<int> ImageSizes { get; set; } = [32, 64];

        /// <summary>Epochs of every transfer run.</summary>
        public int Epochs { get; set; } = 2;

        /// <summary>SGD learning rate of the head-only runs.</summary>
        public double HeadOnlyLearningRate { get; set; } = 0.01;

        /// <summary>SGD learning rate of the full fine-tunes.</summary>
        public double FullLearningRate { get; set; } = 0.005;

        /// <summary>SGD learning rate of MobileNetV2 from scratch.</summary>
        public double ScratchLearningRate { get; set; } = 0.05;
    }

    /// <summary>The tiny budget of --quick: every section runs, on a few images for one epoch.</summary>
    public sealed class QuickSettings
    {
        /// <summary>Training images per class.</summary>
        public int TrainPerClass { get; set; } = 5;

        /// <summary>Validation images per class.</summary>
        public int ValidationPerClass { get; set; } = 2;

        /// <summary>Test images per class.</summary>
        public int TestPerClass { get; set; } = 2;

        /// <summary>Epochs of every run.</summary>
        public int Epochs { get; set; } = 1;

        /// <summary>Dropout values swept.</summary>
        public List<double> DropoutValues { get; set; } = [0.1, 0.5, 0.9];
    }

    /// <summary>The schedule of the baseline runs.</summary>
    internal ScheduleKind BaselineSchedule => Training.Schedule switch
    {
        "cosine" => ScheduleKind.Cosine,
        "step" => ScheduleKind.Step,
        "exponential" => ScheduleKind.Exponential,
        "one-cycle" => ScheduleKind.OneCycle,
        "reduce-on-plateau" => ScheduleKind.ReduceOnPlateau,
        _ => throw new PipelineException($"{Origin}: training 'schedule' '{Training.Schedule}' is unknown; use cosine, step, exponential, one-cycle or reduce-on-plateau"),
    };

    /// <summary>Parses cifar10-convnet YAML; errors name <paramref name="origin"/>.</summary>
    public static Cifar10ConvNetDefinition Parse(string yaml, string origin) => ExperimentYaml.Parse<Cifar10ConvNetDefinition>(yaml, origin);

    /// <summary>Checks the settings; throws a one-line <see cref="PipelineException"/> naming the file and the key.</summary>
    public void Validate()
    {
        void Require(bool ok, string message) => ExperimentYaml.Require(Origin, ok, message);
        Require(Name.Length > 0, "'name' is missing");
        Require(Threads is 1 or 2, "'threads' must be 1 or 2 (the machine budget)");
        foreach (var (train, validation, test, key) in new[]
                 {
                     (Data.TrainPerClass, Data.ValidationPerClass, Data.TestPerClass, "data"),
                     (Quick.TrainPerClass, Quick.ValidationPerClass, Quick.TestPerClass, "quick"),
                 })
            Require(train >= 1 && validation >= 1 && train + validation <= 5000 && test is >= 1 and <= 1000,
                $"{key}: 'train-per-class' and 'validation-per-class' must be ≥ 1 with a sum ≤ 5000 (CIFAR-10 has 5000 training images per class), 'test-per-class' in 1..1000");
        Require(Training.Epochs >= 1 && DropoutSweep.Epochs >= 1 && Transfer.Epochs >= 1 && Quick.Epochs >= 1, "'epochs' must be ≥ 1");
        Require(Training.BatchSize >= 2, "training 'batch-size' must be ≥ 2 (batch norm needs two images)");
        Require(Training.LearningRate > 0 && Training.AdamLearningRate > 0 && Transfer.HeadOnlyLearningRate > 0 && Transfer.FullLearningRate > 0
                && Transfer.ScratchLearningRate > 0, "learning rates must be positive");
        _ = BaselineSchedule;
        Require(Training.EarlyStoppingPatience is null or >= 1, "'early-stopping-patience' must be ≥ 1 (or left out)");
        try
        {
            AugmentationSpec.Parse(Training.Augmentation);
        }
        catch (FormatException e)
        {
            Require(false, $"training 'augmentation': {e.Message}");
        }
        Require(DropoutSweep.Values.Count > 0 && Quick.DropoutValues.Count > 0 && DropoutSweep.Values.Concat(Quick.DropoutValues).All(p => p is > 0 and < 1),
            "dropout 'values' need at least one probability, each in (0, 1)");
        Require(Transfer.ImageSizes.All(s => s is >= 32 and <= 224) && Transfer.ImageSizes.Distinct().Count() == Transfer.ImageSizes.Count,
            "transfer 'image-sizes' must be distinct sizes in 32..224 (MobileNetV2 downsamples 32×); [] skips the transfer runs");
    }

    /// <inheritdoc/>
    public PipelineRun Run(RunOptions options, IProgress<ProgressUpdate>? progress, Action<string> log, string commandLine) =>
        new Cifar10ConvNetRun(this, options, progress, log).Execute(commandLine);
}
