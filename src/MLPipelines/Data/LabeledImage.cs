namespace MLPipelines.Data;

/// <summary>An image file and its class name.</summary>
/// <param name="Path">Full path of the image file.</param>
/// <param name="Label">Class name (the name of the image's folder).</param>
public sealed record LabeledImage(string Path, string Label);

/// <summary>A file the loader did not use, and why. Skipped files are listed in every report.</summary>
public sealed record SkippedFile(string Path, string Reason);
