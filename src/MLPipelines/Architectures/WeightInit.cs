namespace MLPipelines.Architectures;

/// <summary>
/// How a parameter tensor starts: a distribution whose scale may depend on the tensor's fans. Values come from the tensor's
/// own <see cref="SeededRandom"/> stream, so they depend only on the seed, the tensor's name and its shape.
/// Fans follow PyTorch (<c>torch.nn.init._calculate_fan_in_and_fan_out</c>): for a weight of shape [out, in, k…],
/// fan_in = in·∏k and fan_out = out·∏k (a grouped convolution's weight already has in = channels/groups).
/// </summary>
public abstract record WeightInit
{
    /// <summary>Normal(0, gain/√fan) — PyTorch's <c>kaiming_normal_</c>; the default gain √2 suits ReLU.</summary>
    public static WeightInit KaimingNormal(FanMode mode, double gain = 1.4142135623730951) => new KaimingNormalInit(mode, gain);

    /// <summary>
    /// PyTorch's default for <c>nn.Conv2d</c> and <c>nn.Linear</c> weights and biases: Uniform(−1/√fan_in, 1/√fan_in), where
    /// fan_in is the layer weight's (for the weight this is <c>kaiming_uniform_(a=√5)</c>).
    /// </summary>
    public static WeightInit PyTorchDefault { get; } = new PyTorchDefaultInit();

    /// <summary>Normal(0, <paramref name="std"/>).</summary>
    public static WeightInit Normal(double std) => new NormalInit(std);

    /// <summary>Uniform(−<paramref name="bound"/>, <paramref name="bound"/>).</summary>
    public static WeightInit Uniform(double bound) => new UniformInit(bound);

    /// <summary>Every value equal to <paramref name="value"/> (no random draws).</summary>
    public static WeightInit Constant(float value) => new ConstantInit(value);

    /// <summary>All zeros.</summary>
    public static WeightInit Zeros { get; } = new ConstantInit(0f);

    /// <summary>All ones.</summary>
    public static WeightInit Ones { get; } = new ConstantInit(1f);

    /// <summary>
    /// The initial values of a tensor with <paramref name="count"/> elements; <paramref name="layerWeightShape"/> is the shape
    /// of the layer's weight (the fans of a bias are its weight's).
    /// </summary>
    public abstract float[] Create(long count, IReadOnlyList<long> layerWeightShape, SeededRandom random);

    /// <summary>fan_in and fan_out of a weight of shape [out, in, k…] (a 1-D tensor has fan_in = fan_out = its length).</summary>
    public static (long FanIn, long FanOut) Fans(IReadOnlyList<long> weightShape)
    {
        if (weightShape.Count == 0) throw new ArgumentException("a scalar has no fans");
        if (weightShape.Count == 1) return (weightShape[0], weightShape[0]);
        long receptiveField = 1;
        for (int i = 2; i < weightShape.Count; i++) receptiveField *= weightShape[i];
        return (weightShape[1] * receptiveField, weightShape[0] * receptiveField);
    }

    private protected static float[] Sample(long count, Func<double> next)
    {
        var values = new float[count];
        for (long i = 0; i < count; i++) values[i] = (float)next();
        return values;
    }

    private sealed record KaimingNormalInit(FanMode Mode, double Gain) : WeightInit
    {
        public override float[] Create(long count, IReadOnlyList<long> layerWeightShape, SeededRandom random)
        {
            var (fanIn, fanOut) = Fans(layerWeightShape);
            double std = Gain / Math.Sqrt(Mode == FanMode.FanIn ? fanIn : fanOut);
            return Sample(count, () => std * random.NextNormal());
        }

        public override string ToString() => $"kaiming_normal({(Mode == FanMode.FanIn ? "fan_in" : "fan_out")}, gain {Gain:G4})";
    }

    private sealed record PyTorchDefaultInit : WeightInit
    {
        public override float[] Create(long count, IReadOnlyList<long> layerWeightShape, SeededRandom random)
        {
            double bound = 1.0 / Math.Sqrt(Fans(layerWeightShape).FanIn);
            return Sample(count, () => bound * (2 * random.NextDouble() - 1));
        }

        public override string ToString() => "pytorch_default (uniform ±1/sqrt(fan_in))";
    }

    private sealed record NormalInit(double Std) : WeightInit
    {
        public override float[] Create(long count, IReadOnlyList<long> layerWeightShape, SeededRandom random) =>
            Sample(count, () => Std * random.NextNormal());

        public override string ToString() => $"normal(0, {Std:G4})";
    }

    private sealed record UniformInit(double Bound) : WeightInit
    {
        public override float[] Create(long count, IReadOnlyList<long> layerWeightShape, SeededRandom random) =>
            Sample(count, () => Bound * (2 * random.NextDouble() - 1));

        public override string ToString() => $"uniform(±{Bound:G4})";
    }

    private sealed record ConstantInit(float Value) : WeightInit
    {
        public override float[] Create(long count, IReadOnlyList<long> layerWeightShape, SeededRandom random)
        {
            var values = new float[count];
            Array.Fill(values, Value);
            return values;
        }

        public override string ToString() => $"constant({Value})";
    }
}
