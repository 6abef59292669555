using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;

namespace MLPipelines.Visualization;

/// <summary>
/// The first convolution of an ONNX CNN (the first <c>Conv</c> node in graph order, which ONNX requires to be topological), its
/// weights, and the activation that follows it (through an optional BatchNormalization): what filter and activation-map
/// pictures show.
/// </summary>
/// <param name="Node">The Conv node.</param>
/// <param name="Weights">Filters [out, in, kh, kw] as a flat array.</param>
/// <param name="Shape">The weight shape.</param>
/// <param name="Output">Tensor name of the convolution's output.</param>
/// <param name="Activation">Tensor name after the activation (Relu, Clip = ReLU6, …), or null when none follows directly.</param>
/// <param name="ActivationOp">The activation's op type, or null.</param>
public sealed record FirstConvolution(NodeProto Node, float[] Weights, long[] Shape, string Output, string? Activation, string? ActivationOp)
{
    private static readonly HashSet<string> Activations = ["Relu", "Clip", "LeakyRelu", "HardSwish", "HardSigmoid", "Sigmoid", "Tanh", "Elu", "Selu"];

    /// <summary>Number of filters.</summary>
    public int FilterCount => (int)Shape[0];

    /// <summary>Input channels per filter.</summary>
    public int InputChannels => (int)Shape[1];

    /// <summary>Kernel height.</summary>
    public int KernelHeight => (int)Shape[2];

    /// <summary>Kernel width.</summary>
    public int KernelWidth => (int)Shape[3];

    /// <summary>Finds the first convolution of <paramref name="model"/>.</summary>
    public static FirstConvolution Find(ModelProto model)
    {
        var graph = model.Graph;
        var conv = graph.Node.FirstOrDefault(n => n.OpType == "Conv")
            ?? throw new OnnxFormatException($"the model '{graph.Name}' has no Conv node");
        var weights = graph.Initializer.FirstOrDefault(t => t.Name == conv.Input[1])
            ?? throw new OnnxFormatException($"Conv node '{conv.Name}': weight '{conv.Input[1]}' is not an initializer (computed weights cannot be shown)");
        if (weights.Dims.Count != 4)
            throw new OnnxFormatException($"Conv node '{conv.Name}': weight '{weights.Name}' has {weights.Dims.Count} dimensions, expected 4 (2-D convolution)");
        string output = conv.Output[0];
        string current = output;
        string? activation = null, activationOp = null;
        for (int step = 0; step < 2 && activation is null; step++)
        {
            var consumer = graph.Node.FirstOrDefault(n => n.Input.Count > 0 && n.Input[0] == current);
            if (consumer is null) break;
            if (Activations.Contains(consumer.OpType))
                (activation, activationOp) = (consumer.Output[0], consumer.OpType);
            else if (consumer.OpType == "BatchNormalization")
                current = consumer.Output[0];
            else
                break;
        }
        return new FirstConvolution(conv, OnnxTensors.ReadFloats(weights), [.. weights.Dims], output, activation, activationOp);
    }
}
