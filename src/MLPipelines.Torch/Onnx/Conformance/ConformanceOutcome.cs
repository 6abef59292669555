namespace MLPipelines.Torch.Onnx.Conformance;

/// <summary>The result of one ONNX backend node test.</summary>
public enum ConformanceOutcome
{
    /// <summary>Every output matched within the tolerances.</summary>
    Passed,

    /// <summary>The case uses an op, attribute value or data type the executor deliberately does not implement.</summary>
    NotApplicable,

    /// <summary>A supported case that computed wrong values or threw.</summary>
    Failed,
}
