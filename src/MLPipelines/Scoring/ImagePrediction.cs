namespace MLPipelines.Scoring;

/// <summary>The top-k classes of one image.</summary>
/// <param name="ImagePath">The scored image.</param>
/// <param name="Top">Classes by decreasing probability.</param>
public sealed record ImagePrediction(string ImagePath, IReadOnlyList<ClassProbability> Top)
{
    /// <summary>The most probable class.</summary>
    public ClassProbability Best => Top[0];
}

/// <summary>A class, its output index and its probability.</summary>
public sealed record ClassProbability(int Index, string Name, float Probability);
