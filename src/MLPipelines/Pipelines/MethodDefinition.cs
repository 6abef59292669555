namespace MLPipelines.Pipelines;

/// <summary>
/// One method of a pipeline (one or more rows of the results table). The YAML key <c>kind</c> selects the subclass; new kinds
/// are added with <see cref="PipelineMethodRegistry.Register{T}"/>.
/// </summary>
public abstract class MethodDefinition
{
    /// <summary>The method kind, e.g. <c>frozen-features</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Optional display name; defaults to a description built from the settings.</summary>
    public string? Name { get; set; }

    /// <summary>Checks the settings; throws <see cref="PipelineException"/> naming <paramref name="origin"/> and the field.</summary>
    public virtual void Validate(string origin) { }

    /// <summary>Runs the method; returns one result per row it reports.</summary>
    public abstract IReadOnlyList<MethodResult> Run(ExperimentContext context);
}
