using MLPipelines.Catalog;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace MLPipelines.Pipelines;

/// <summary>
/// A declarative experiment (a YAML file in <c>pipelines/</c>): the data, the split, the methods to compare and the reference
/// results. The CLI runs built-in pipelines by name (<c>pacs-fewshot</c>) and user files by path (<c>run mine.yaml</c>).
/// </summary>
public sealed class PipelineDefinition : IPipeline
{
    /// <summary>The experiment kind; always <c>image-classification</c> for this class.</summary>
    public string Experiment { get; set; } = PipelineKinds.ImageClassification;

    /// <summary>Pipeline name; also the output subfolder.</summary>
    public string Name { get; set; } = "";

    /// <summary>One-line description shown by <c>list</c> and in the report.</summary>
    public string Description { get; set; } = "";

    public DatasetSelection Dataset { get; set; } = new();
    public SplitDefinition Split { get; set; } = new();
    public QuickDefinition Quick { get; set; } = new();
    public List<MethodDefinition> Methods { get; set; } = [];
    public ReferenceResults? Reference { get; set; }

    /// <summary>Where the definition was read from.</summary>
    [YamlIgnore]
    public string Origin { get; set; } = "";

    /// <summary>Reads a pipeline file.</summary>
    public static PipelineDefinition Load(string path)
    {
        if (!File.Exists(path))
            throw new PipelineException($"{path}: pipeline file does not exist");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses pipeline YAML; errors name <paramref name="origin"/> and the line.</summary>
    public static PipelineDefinition Parse(string yaml, string origin)
    {
        var kinds = PipelineMethodRegistry.All;
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(HyphenatedNamingConvention.Instance)
            .WithEnumNamingConvention(HyphenatedNamingConvention.Instance)
            .WithTypeDiscriminatingNodeDeserializer(options =>
                options.AddKeyValueTypeDiscriminator<MethodDefinition>("kind", kinds.ToDictionary(k => k.Key, k => k.Value)))
            .Build();
        PipelineDefinition definition;
        try
        {
            definition = deserializer.Deserialize<PipelineDefinition>(yaml) ?? throw new PipelineException($"{origin}: the file is empty");
        }
        catch (YamlException e)
        {
            string reason = (e.InnerException?.Message ?? e.Message).Split('\n')[0];
            if (reason.Contains("abstract", StringComparison.OrdinalIgnoreCase) || reason.Contains(nameof(MethodDefinition)))
                reason = $"unknown or missing method 'kind' (known kinds: {string.Join(", ", kinds.Keys.Order())})";
            throw new PipelineException($"{origin}:{e.Start.Line}: {reason}");
        }
        definition.Origin = origin;
        definition.Validate();
        return definition;
    }

    /// <summary>The built-in image-classification pipeline called <paramref name="name"/>.</summary>
    public static PipelineDefinition BuiltIn(string name) => PipelineKinds.BuiltIn(name) as PipelineDefinition
        ?? throw new PipelineException($"pipeline '{name}' is not an image-classification pipeline");

    /// <summary>Runs the pipeline with <see cref="ExperimentRunner"/>.</summary>
    public PipelineRun Run(RunOptions options, IProgress<ProgressUpdate>? progress, Action<string> log, string commandLine)
    {
        var run = new ExperimentRunner(progress, log).Run(this, options, commandLine);
        return new PipelineRun(run.RunFolder, run.ReportPath, run.Elapsed, ["Method", "Backbone", "Validation", "Test", "Macro-F1"],
            run.Results.Select(r => (IReadOnlyList<string>)[r.Method, r.Backbone, Reports.ReportFormat.Percent(r.ValidationAccuracy),
                Reports.ReportFormat.Percent(r.Test.Accuracy), Reports.ReportFormat.Number(r.Test.MacroF1)]).ToList());
    }

    /// <summary>Checks required fields and every method.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new PipelineException($"{Origin}: 'name' is missing");
        if (Dataset.Folder is null && Dataset.Name is null)
            throw new PipelineException($"{Origin}: 'dataset' needs 'name' (a catalog dataset) or 'folder' (an image folder)");
        if (Methods.Count == 0) throw new PipelineException($"{Origin}: 'methods' is empty");
        if (Split.TestFraction is double test && !(test > 0 && test < 1))
            throw new PipelineException($"{Origin}: split.test-fraction must be between 0 and 1, got {test}");
        if (Split.TestFraction is null && !(Split.TrainFraction > 0 && Split.TrainFraction < 1))
            throw new PipelineException($"{Origin}: split.train-fraction must be between 0 and 1, got {Split.TrainFraction}");
        if (!(Split.ValidationFraction > 0 && Split.ValidationFraction < 1))
            throw new PipelineException($"{Origin}: split.validation-fraction must be between 0 and 1, got {Split.ValidationFraction}");
        foreach (var method in Methods)
            method.Validate(Origin);
    }
}
