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

    /// <summary>
    /// Whether the method may run at the same time as the pipeline's neighbouring methods that also allow it. True for
    /// methods whose heavy work is ML.NET fits queued on <see cref="ExperimentContext.FitScheduler"/> (which keeps the fits
    /// of the whole run to one per core); false (the default) for methods that use every core themselves, such as training
    /// a network.
    /// </summary>
    public virtual bool RunsAlongsideOthers => false;

    /// <summary>Runs the method; returns one result per row it reports.</summary>
    public abstract IReadOnlyList<MethodResult> Run(ExperimentContext context);
}
