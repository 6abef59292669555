namespace MLPipelines.Torch.Experiments.Cifar10ConvNet;

/// <summary>The finished runs of the study in order, each tagged with the report section it belongs to.</summary>
internal sealed class StudyResults
{
    /// <summary>ConvNet with and without batch norm (also the best-versus-last table).</summary>
    public const string BatchNorm = "batch-norm";

    /// <summary>The augmentation run.</summary>
    public const string Augmentation = "augmentation";

    /// <summary>The constant-LR run.</summary>
    public const string Schedule = "schedule";

    /// <summary>The AdamW run.</summary>
    public const string Optimizer = "optimizer";

    /// <summary>The dropout sweep.</summary>
    public const string Dropout = "dropout";

    /// <summary>MobileNetV2 transfer runs.</summary>
    public const string Transfer = "transfer";

    private readonly List<(string Section, StudyRunResult Result)> _runs = [];

    /// <summary>Every run in the order it trained.</summary>
    public IReadOnlyList<(string Section, StudyRunResult Result)> All => _runs;

    /// <summary>Records a finished run.</summary>
    public void Add(string section, StudyRunResult result) => _runs.Add((section, result));

    /// <summary>The runs of <paramref name="section"/>.</summary>
    public IReadOnlyList<StudyRunResult> In(string section) => [.. _runs.Where(r => r.Section == section).Select(r => r.Result)];

    /// <summary>The run called <paramref name="name"/>.</summary>
    public StudyRunResult Named(string name) => _runs.Single(r => r.Result.Name == name).Result;
}
