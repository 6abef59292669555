namespace MLPipelines.Data.Idx;

/// <summary>An unsigned-byte tensor read from an idx file: its dimensions and its values in row-major order.</summary>
/// <param name="Dimensions">Sizes, outermost first, e.g. [60000, 28, 28] for MNIST training images.</param>
/// <param name="Data">Row-major values; the length is the product of <paramref name="Dimensions"/>.</param>
public sealed record IdxArray(IReadOnlyList<int> Dimensions, byte[] Data)
{
    /// <summary>Number of items along the first dimension.</summary>
    public int Count => Dimensions[0];

    /// <summary>Values per item: the product of all dimensions but the first.</summary>
    public int ItemSize => Dimensions.Skip(1).Aggregate(1, (a, b) => a * b);
}
