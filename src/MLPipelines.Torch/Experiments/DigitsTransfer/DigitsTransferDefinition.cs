using MLPipelines.Experiments;
using MLPipelines.Imaging.Augmentation;
using MLPipelines.Pipelines;
using YamlDotNet.Serialization;

namespace MLPipelines.Torch.Experiments.DigitsTransfer;

/// <summary>
/// The <c>digits-transfer</c> experiment (YAML <c>experiment: digits-transfer</c>): a small ConvNet is pretrained on dataset A
/// with s images per class (nested seeded subsets) and a batch augmentation, then frozen; a new linear head is trained on
/// dataset B with a fixed budget and data size and scored on B's test images. Every key has a default.
/// </summary>
public sealed class DigitsTransferDefinition : IExperimentDefinition
{
    /// <summary>The experiment kind.</summary>
    public const string Kind = "digits-transfer";

    /// <summary>Always <c>digits-transfer</c>.</summary>
    public string Experiment { get; set; } = Kind;

    /// <inheritdoc/>
    public string Name { get; set; } = "digits-transfer";

    /// <inheritdoc/>
    public string Description { get; set; } = "";

    /// <summary>First seed; seed i of a run is this plus i (overridden by --seed).</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Independent repetitions (subsets, initialisation, shuffles), for mean ± std.</summary>
    public int Seeds { get; set; } = 3;

    /// <summary>Pretraining images per class.</summary>
    public List<int> SamplesPerClass { get; set; } = [1, 2, 4, 8, 16, 32, 64];

    /// <summary>Pretraining batch augmentations: none, mixup, collage.</summary>
    public List<string> Augmentations { get; set; } = ["none", "mixup", "collage"];

    /// <summary>(A, B) pairs of catalog idx datasets.</summary>
    public List<PairSettings> Pairs { get; set; } =
    [
        new() { Source = "mnist", Target = "mnist" }, new() { Source = "mnist", Target = "fashion-mnist" },
        new() { Source = "fashion-mnist", Target = "fashion-mnist" }, new() { Source = "fashion-mnist", Target = "mnist" },
    ];

    /// <summary>TorchSharp intra-op threads (1 or 2). On a busy machine 1 is often faster for these small tensors.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Channels of the two convolution blocks.</summary>
    public List<int> Channels { get; set; } = [16, 32];

    /// <summary>Pretraining budget.</summary>
    public PretrainSettings Pretrain { get; set; } = new();

    /// <summary>Fine-tune budget and data size.</summary>
    public FineTuneSettings FineTune { get; set; } = new();

    /// <summary>What --quick changes.</summary>
    public QuickSettings Quick { get; set; } = new();

    /// <summary>Where the definition was read from.</summary>
    [YamlIgnore]
    public string Origin { get; set; } = "";

    /// <summary>A pretraining dataset and a fine-tune dataset.</summary>
    public sealed class PairSettings
    {
        /// <summary>Dataset A (pretraining).</summary>
        public string Source { get; set; } = "";

        /// <summary>Dataset B (fine-tune and test).</summary>
        public string Target { get; set; } = "";

        /// <inheritdoc/>
        public override string ToString() => $"{Source} → {Target}";
    }

    /// <summary>
    /// Pretraining: Adam for <see cref="Epochs"/> passes over the 10·s images, but never fewer than <see cref="MinSteps"/> nor more
    /// than <see cref="MaxSteps"/> steps (tiny sets still get enough updates; large ones stay within the CPU budget).
    /// </summary>
    public sealed class PretrainSettings
    {
        /// <summary>Passes over the pretraining images.</summary>
        public int Epochs { get; set; } = 20;

        /// <summary>Fewest optimizer steps.</summary>
        public int MinSteps { get; set; } = 30;

        /// <summary>Most optimizer steps.</summary>
        public int MaxSteps { get; set; } = 400;

        /// <summary>The number of steps for <paramref name="images"/> pretraining images.</summary>
        public int Steps(int images) =>
            Math.Clamp((int)Math.Ceiling(Epochs * (double)images / Math.Min(BatchSize, images)), MinSteps, Math.Max(MinSteps, MaxSteps));

        /// <summary>Batch size (capped at the number of pretraining images).</summary>
        public int BatchSize { get; set; } = 32;

        /// <summary>Adam learning rate.</summary>
        public double LearningRate { get; set; } = 0.003;

        /// <summary>Beta(α, α) of mixup.</summary>
        public double MixupAlpha { get; set; } = 0.4;

        /// <summary>Probability that an image becomes a collage.</summary>
        public double CollageProbability { get; set; } = 0.5;
    }

    /// <summary>The frozen-extractor fine-tune on B.</summary>
    public sealed class FineTuneSettings
    {
        /// <summary>Training images of B per class (a seeded subset, the same for every s and augmentation).</summary>
        public int TrainPerClass { get; set; } = 200;

        /// <summary>Test images of B per class (a seeded subset of B's test split).</summary>
        public int TestPerClass { get; set; } = 100;

        /// <summary>Adam steps of the linear head.</summary>
        public int Steps { get; set; } = 300;

        /// <summary>Batch size.</summary>
        public int BatchSize { get; set; } = 128;

        /// <summary>Adam learning rate.</summary>
        public double LearningRate { get; set; } = 0.01;
    }

    /// <summary>Smaller grid and budget for --quick.</summary>
    public sealed class QuickSettings
    {
        /// <summary>Samples per class tried.</summary>
        public List<int> SamplesPerClass { get; set; } = [4, 64];

        /// <summary>Seeds.</summary>
        public int Seeds { get; set; } = 1;

        /// <summary>Most pretraining steps.</summary>
        public int PretrainMaxSteps { get; set; } = 60;

        /// <summary>Test images of B per class.</summary>
        public int TestPerClass { get; set; } = 50;
    }

    /// <summary>The batch augmentation called <paramref name="name"/> (none → null).</summary>
    public IBatchAugmentation? Augmentation(string name) => name switch
    {
        "none" => null,
        "mixup" => new Mixup(Pretrain.MixupAlpha),
        "collage" => new Collage(Pretrain.CollageProbability),
        _ => throw new PipelineException($"{Origin}: unknown augmentation '{name}'; use none, mixup or collage"),
    };

    /// <summary>Parses digits-transfer YAML; errors name <paramref name="origin"/>.</summary>
    public static DigitsTransferDefinition Parse(string yaml, string origin) => ExperimentYaml.Parse<DigitsTransferDefinition>(yaml, origin);

    /// <summary>Checks the settings; throws a one-line <see cref="PipelineException"/> naming the file and the key.</summary>
    public void Validate()
    {
        void Require(bool ok, string message) => ExperimentYaml.Require(Origin, ok, message);
        Require(Name.Length > 0, "'name' is missing");
        Require(Seeds >= 1 && Quick.Seeds >= 1, "'seeds' must be ≥ 1");
        Require(SamplesPerClass.Count > 0 && SamplesPerClass.All(s => s is >= 1 and <= 5000), "'samples-per-class' needs values in 1..5000");
        Require(Quick.SamplesPerClass.Count > 0 && Quick.SamplesPerClass.All(s => s is >= 1 and <= 5000), "quick 'samples-per-class' needs values in 1..5000");
        Require(Augmentations.Count > 0, "'augmentations' is empty");
        foreach (var name in Augmentations) Augmentation(name);
        Require(Pairs.Count > 0, "'pairs' is empty");
        foreach (var pair in Pairs)
            Require(pair.Source is "mnist" or "fashion-mnist" && pair.Target is "mnist" or "fashion-mnist",
                $"pair '{pair}': datasets must be mnist or fashion-mnist (EMNIST is not available offline)");
        Require(Pretrain.Epochs >= 1 && Pretrain.MinSteps >= 1 && Pretrain.MaxSteps >= 1 && Pretrain.BatchSize >= 2 && Pretrain.LearningRate > 0
                && Pretrain.MixupAlpha > 0 && Pretrain.CollageProbability is >= 0 and <= 1 && Quick.PretrainMaxSteps >= 1,
            "pretrain settings must be positive (batch-size ≥ 2)");
        Require(Channels.Count == 2 && Channels.All(c => c is >= 1 and <= 256), "'channels' needs two values in 1..256");
        Require(Threads is 1 or 2, "'threads' must be 1 or 2 (the machine budget)");
        Require(FineTune.TrainPerClass is >= 1 and <= 5000 && FineTune.TestPerClass is >= 1 and <= 800 && Quick.TestPerClass is >= 1 and <= 800
                && FineTune.Steps >= 1 && FineTune.BatchSize >= 1 && FineTune.LearningRate > 0,
            "fine-tune settings must be positive, train-per-class ≤ 5000 and test-per-class ≤ 800");
    }

    /// <inheritdoc/>
    public PipelineRun Run(RunOptions options, IProgress<ProgressUpdate>? progress, Action<string> log, string commandLine) =>
        new DigitsTransferRun(this, options, progress, log).Execute(commandLine);
}
