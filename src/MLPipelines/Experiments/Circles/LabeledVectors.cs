namespace MLPipelines.Experiments.Circles;

/// <summary>Feature vectors with class labels: <see cref="X"/> is row-major [count × dimension].</summary>
public sealed record LabeledVectors(double[] X, int[] Labels, int Dimension)
{
    /// <summary>Number of vectors.</summary>
    public int Count => Labels.Length;

    /// <summary>The two-circles points as vectors.</summary>
    public static LabeledVectors From(TwoCircles data) => new([.. data.Points.SelectMany(p => p)], data.Labels, 2);

    /// <summary>The images at <paramref name="indices"/> of an idx image set, flattened, with pixel values in [0, 1].</summary>
    public static LabeledVectors From(Data.Idx.GrayImageSet images, IReadOnlyList<int> indices) =>
        new([.. images.ToFloats(indices).Select(v => (double)v)], images.LabelsAt(indices), images.ImageSize);

    /// <summary>Copies the rows at <paramref name="indices"/> (a minibatch).</summary>
    public (double[] X, int[] Labels) Rows(IReadOnlyList<int> indices)
    {
        var x = new double[indices.Count * Dimension];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            X.AsSpan(indices[i] * Dimension, Dimension).CopyTo(x.AsSpan(i * Dimension));
            labels[i] = Labels[indices[i]];
        }
        return (x, labels);
    }
}
