namespace MLPipelines.Imaging.Augmentation;

/// <summary>A closed range [<see cref="Min"/>, <see cref="Max"/>] a random parameter is drawn from.</summary>
public readonly record struct ValueRange(double Min, double Max)
{
    /// <summary>[−<paramref name="amount"/>, <paramref name="amount"/>], as torchvision turns a single number of degrees or shear into a range.</summary>
    public static ValueRange Symmetric(double amount) => new(-Math.Abs(amount), Math.Abs(amount));

    /// <summary>A range of one value.</summary>
    public static ValueRange Fixed(double value) => new(value, value);

    /// <summary>True when the range holds a single value.</summary>
    public bool IsFixed => Min == Max;

    /// <summary>A uniform draw from the range (one draw from <paramref name="random"/> even when the range is fixed, as torch).</summary>
    public double Draw(Random random) => random.Uniform(Min, Max);

    /// <inheritdoc/>
    public override string ToString() => $"[{SpecFormat.Number(Min)}, {SpecFormat.Number(Max)}]";
}
