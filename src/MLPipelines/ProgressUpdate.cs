namespace MLPipelines;

/// <summary>
/// Progress of a long step, reported through <see cref="IProgress{T}"/>. The CLI draws it as a progress bar with ETA; code that
/// calls the library can log it or ignore it.
/// </summary>
/// <param name="Task">What is running, e.g. "featurize test (mobilenetv2-1.0-bn-features)".</param>
/// <param name="Done">Units finished.</param>
/// <param name="Total">Units in all.</param>
/// <param name="Detail">Optional short status, e.g. "loss 0.41".</param>
public readonly record struct ProgressUpdate(string Task, long Done, long Total, string? Detail = null);
