namespace MLPipelines.Pipelines;

/// <summary>Published or earlier results shown beside ours in the report, for comparison.</summary>
public sealed class ReferenceResults
{
    /// <summary>Where the numbers come from.</summary>
    public string Source { get; set; } = "";

    /// <summary>Column headers of the values (e.g. "few-shot", "full split").</summary>
    public List<string> Columns { get; set; } = [];

    /// <summary>The column that matches this pipeline (highlighted in the report).</summary>
    public string? Highlight { get; set; }

    /// <summary>One row per method.</summary>
    public List<ReferenceRow> Rows { get; set; } = [];
}

/// <summary>A reference method and its accuracies in percent, one per column (null where unknown).</summary>
public sealed class ReferenceRow
{
    public string Method { get; set; } = "";
    public List<double?> Values { get; set; } = [];
}
