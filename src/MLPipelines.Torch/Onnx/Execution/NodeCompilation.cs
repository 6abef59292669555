using MLPipelines.Onnx.Proto;
using static TorchSharp.torch;
using AttributeType = MLPipelines.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace MLPipelines.Torch.Onnx.Execution;

/// <summary>
/// What an op factory sees of a node while the graph is compiled: its attributes, which inputs are present, the values of
/// inputs that are constants (initializers that are not trained, <c>Constant</c> outputs), and the opset. Errors it creates
/// name the node and the op.
/// </summary>
internal sealed class NodeCompilation(NodeProto node, long opset, Func<string, Tensor?> constantValue, Func<string, long[]?> initializerShape,
    OnnxModuleOptions options)
{
    public NodeProto Node { get; } = node;

    /// <summary>The default-domain opset the model imports.</summary>
    public long Opset { get; } = opset;

    public OnnxModuleOptions Options { get; } = options;

    /// <summary>"node 'conv_7' (Conv)", the prefix of every error about this node.</summary>
    public string Describe => $"node '{(Node.Name.Length > 0 ? Node.Name : Node.Output.FirstOrDefault() ?? "?")}' ({Node.OpType})";

    /// <summary>An error saying the node uses something the executor does not implement.</summary>
    public OnnxNotSupportedException NotSupported(string what) => new($"{Describe}: {what}");

    /// <summary>An error saying the node's inputs do not fit together (thrown before TorchSharp could crash on them).</summary>
    public InvalidOperationException ShapeError(string what) => new($"{Describe}: {what}");

    /// <summary>Whether input <paramref name="index"/> is given (optional inputs may be missing or empty names).</summary>
    public bool HasInput(int index) => index < Node.Input.Count && Node.Input[index].Length > 0;

    /// <summary>The compile-time value of input <paramref name="index"/>, or null when it is computed at run time or absent.</summary>
    public Tensor? ConstantInput(int index) => HasInput(index) ? constantValue(Node.Input[index]) : null;

    /// <summary>The shape of input <paramref name="index"/> when it is an initializer (trained or not), else null.</summary>
    public long[]? InitializerShape(int index) => HasInput(index) ? initializerShape(Node.Input[index]) : null;

    /// <summary>Rejects attributes outside <paramref name="known"/>, so that no attribute is silently ignored.</summary>
    public void AllowAttributes(params string[] known)
    {
        foreach (var attribute in Node.Attribute)
            if (!known.Contains(attribute.Name))
                throw NotSupported($"attribute '{attribute.Name}' is not supported by the TorchSharp executor");
    }

    /// <summary>Rejects a node that uses more outputs than the executor produces.</summary>
    public void AllowOutputs(int count)
    {
        for (int i = count; i < Node.Output.Count; i++)
            if (Node.Output[i].Length > 0)
                throw NotSupported($"output {i} ('{Node.Output[i]}') is not supported; only the first {count} output(s)");
    }

    public bool Has(string name) => Node.Attribute.Any(a => a.Name == name);

    public long Int(string name, long fallback) => Find(name, AttributeType.Int)?.I ?? fallback;

    public float Float(string name, float fallback) => Find(name, AttributeType.Float)?.F ?? fallback;

    public string String(string name, string fallback) => Find(name, AttributeType.String)?.S.ToStringUtf8() ?? fallback;

    public long[]? Ints(string name) => Find(name, AttributeType.Ints) is { } a ? [.. a.Ints] : null;

    public float[]? Floats(string name) => Find(name, AttributeType.Floats) is { } a ? [.. a.Floats] : null;

    public TensorProto? TensorAttribute(string name) => Find(name, AttributeType.Tensor)?.T;

    private AttributeProto? Find(string name, AttributeType type)
    {
        var attribute = Node.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is null) return null;
        // Some exporters leave the type unset on old files; trust the field that is filled in then.
        if (attribute.Type != type && attribute.Type != AttributeType.Undefined)
            throw NotSupported($"attribute '{name}' has type {attribute.Type}, expected {type}");
        return attribute;
    }
}
