namespace MLPipelines.Pipelines;

/// <summary>A pipeline definition that cannot run; the message is one line naming the file and the field.</summary>
public sealed class PipelineException(string message) : Exception(message);
