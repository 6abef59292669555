namespace MLPipelines.Imaging;

/// <summary>An image file that cannot be used; the message names the file and what is wrong with it.</summary>
public sealed class InvalidImageException(string path, string problem)
    : Exception($"{path}: {problem}")
{
    /// <summary>The offending file.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; } = problem;
}
