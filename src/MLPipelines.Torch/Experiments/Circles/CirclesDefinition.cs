using MLPipelines.Experiments;
using MLPipelines.Pipelines;
using YamlDotNet.Serialization;

namespace MLPipelines.Torch.Experiments.Circles;

/// <summary>
/// The <c>circles</c> experiment (YAML <c>experiment: circles</c>): linear versus non-linear ML.NET baselines on two circles,
/// a hand-written tanh MLP checked against TorchSharp autograd, learning-rate and batch-size sweeps, and the same MLP on MNIST.
/// Every key has a default; the file only states what differs.
/// </summary>
public sealed class CirclesDefinition : IExperimentDefinition
{
    /// <summary>The experiment kind.</summary>
    public const string Kind = "circles";

    /// <summary>Always <c>circles</c>.</summary>
    public string Experiment { get; set; } = Kind;

    /// <inheritdoc/>
    public string Name { get; set; } = "circles";

    /// <inheritdoc/>
    public string Description { get; set; } = "";

    /// <summary>Seed of the data, the initial weights and the shuffles (overridden by --seed).</summary>
    public int Seed { get; set; } = 42;

    /// <summary>The two-circles data.</summary>
    public DataSettings Data { get; set; } = new();

    /// <summary>The random-Fourier-feature kernel map.</summary>
    public KernelSettings Kernel { get; set; } = new();

    /// <summary>The main MLP run on the circles.</summary>
    public MlpSettings Mlp { get; set; } = new();

    /// <summary>The learning-rate and batch-size sweeps of the MLP.</summary>
    public SweepSettings Sweep { get; set; } = new();

    /// <summary>The same MLP on MNIST.</summary>
    public MnistSettings Mnist { get; set; } = new();

    /// <summary>What --quick changes.</summary>
    public QuickSettings Quick { get; set; } = new();

    /// <summary>Where the definition was read from.</summary>
    [YamlIgnore]
    public string Origin { get; set; } = "";

    /// <summary>Two-circles data settings.</summary>
    public sealed class DataSettings
    {
        /// <summary>Training points.</summary>
        public int Train { get; set; } = 1000;

        /// <summary>Test points (generated with a different seed).</summary>
        public int Test { get; set; } = 1000;

        /// <summary>Std of the Gaussian noise on each coordinate.</summary>
        public double Noise { get; set; } = 0.1;

        /// <summary>Radius of the inner circle (the outer one has radius 1).</summary>
        public double Factor { get; set; } = 0.5;
    }

    /// <summary>Random Fourier features for the Gaussian kernel exp(−γ‖x − y‖²).</summary>
    public sealed class KernelSettings
    {
        /// <summary>Number of random features.</summary>
        public int Rank { get; set; } = 200;

        /// <summary>γ of the kernel.</summary>
        public float Gamma { get; set; } = 2f;
    }

    /// <summary>MLP and SGD settings.</summary>
    public sealed class MlpSettings
    {
        /// <summary>Hidden tanh units.</summary>
        public int Hidden { get; set; } = 16;

        /// <summary>SGD learning rate.</summary>
        public double LearningRate { get; set; } = 0.5;

        /// <summary>Minibatch size.</summary>
        public int BatchSize { get; set; } = 32;

        /// <summary>Passes over the training points.</summary>
        public int Epochs { get; set; } = 100;
    }

    /// <summary>The sweeps: learning rates at the main batch size, batch sizes at the main learning rate.</summary>
    public sealed class SweepSettings
    {
        /// <summary>Learning rates tried.</summary>
        public List<double> LearningRates { get; set; } = [0.01, 0.1, 1, 10];

        /// <summary>Batch sizes tried.</summary>
        public List<int> BatchSizes { get; set; } = [1, 8, 64, 1000];
    }

    /// <summary>The MLP on an idx dataset.</summary>
    public sealed class MnistSettings
    {
        /// <summary>Catalog dataset (mnist or fashion-mnist).</summary>
        public string Dataset { get; set; } = "mnist";

        /// <summary>Hidden tanh units.</summary>
        public int Hidden { get; set; } = 128;

        /// <summary>SGD learning rate.</summary>
        public double LearningRate { get; set; } = 0.1;

        /// <summary>Minibatch size.</summary>
        public int BatchSize { get; set; } = 64;

        /// <summary>Epochs.</summary>
        public int Epochs { get; set; } = 3;

        /// <summary>Training images used (the first ones of a seeded shuffle); the whole test split is scored.</summary>
        public int TrainSize { get; set; } = 60_000;
    }

    /// <summary>Smaller sizes for --quick.</summary>
    public sealed class QuickSettings
    {
        /// <summary>Training and test points.</summary>
        public int Points { get; set; } = 300;

        /// <summary>MLP epochs on the circles.</summary>
        public int Epochs { get; set; } = 30;

        /// <summary>MNIST training images.</summary>
        public int MnistTrainSize { get; set; } = 5000;

        /// <summary>MNIST epochs.</summary>
        public int MnistEpochs { get; set; } = 1;
    }

    /// <summary>Parses circles YAML; errors name <paramref name="origin"/>.</summary>
    public static CirclesDefinition Parse(string yaml, string origin) => ExperimentYaml.Parse<CirclesDefinition>(yaml, origin);

    /// <summary>Checks the settings; throws a one-line <see cref="PipelineException"/> naming the file and the key.</summary>
    public void Validate()
    {
        void Require(bool ok, string message) => ExperimentYaml.Require(Origin, ok, message);
        Require(Name.Length > 0, "'name' is missing");
        Require(Data.Train >= 10 && Data.Test >= 10, "data 'train' and 'test' need at least 10 points each");
        Require(Data.Noise >= 0, "data 'noise' must be ≥ 0");
        Require(Data.Factor is > 0 and < 1, "data 'factor' (inner radius) must be in (0, 1)");
        Require(Kernel.Rank >= 1 && Kernel.Gamma > 0, "kernel 'rank' must be ≥ 1 and 'gamma' > 0");
        Require(Mlp.Hidden >= 1 && Mlp.LearningRate > 0 && Mlp.BatchSize >= 1 && Mlp.Epochs >= 1,
            "mlp 'hidden', 'learning-rate', 'batch-size' and 'epochs' must be positive");
        Require(Sweep.LearningRates.All(r => r > 0) && Sweep.BatchSizes.All(b => b >= 1), "sweep values must be positive");
        Require(Mnist.Dataset is "mnist" or "fashion-mnist", $"mnist 'dataset' must be mnist or fashion-mnist, not '{Mnist.Dataset}'");
        Require(Mnist.Hidden >= 1 && Mnist.LearningRate > 0 && Mnist.BatchSize >= 1 && Mnist.Epochs >= 0 && Mnist.TrainSize is >= 10 and <= 60_000,
            "mnist settings must be positive and 'train-size' at most 60000");
        Require(Quick.Points >= 10 && Quick.Epochs >= 1 && Quick.MnistTrainSize >= 10 && Quick.MnistEpochs >= 0, "quick settings must be positive");
    }

    /// <inheritdoc/>
    public PipelineRun Run(RunOptions options, IProgress<ProgressUpdate>? progress, Action<string> log, string commandLine) =>
        new CirclesRun(this, options, progress, log).Execute(commandLine);
}
