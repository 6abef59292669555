using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;
using static MLPipelines.Onnx.OnnxTensors;

namespace MLPipelines.Architectures;

/// <summary>
/// Writes an ONNX image classifier layer by layer, the way a PyTorch <c>nn.Module</c> reads: every helper adds its node(s)
/// and freshly initialized parameters and returns the output <see cref="GraphTensor"/> with its shape worked out, so a
/// builder can size the next layer and fail early with the layer's name when an input is too small.
/// <para>
/// Names are hierarchical like PyTorch's state_dict: inside <c>using (g.Scope("layer1")) using (g.Scope("0"))</c> a
/// convolution named <c>conv1</c> is node <c>layer1.0.conv1</c>, its output tensor is <c>layer1.0.conv1</c> and its weight
/// is <c>layer1.0.conv1.weight</c>. A name already taken gets <c>_1</c>, <c>_2</c>… (as torch.fx does); unnamed layers are
/// named after their op (<c>relu</c>, <c>relu_1</c>…).
/// </para>
/// <para>
/// The graph uses ONNX opset 13, float32, NCHW and a symbolic batch dimension <c>N</c>. Parameters are float initializers
/// (the only initializers, so every initializer is a parameter or a BatchNormalization running statistic); scalar operands
/// such as ReLU6's bounds or the dropout ratio are <c>Constant</c> nodes so that nobody mistakes them for weights.
/// </para>
/// </summary>
public sealed class GraphBuilder
{
    /// <summary>The ONNX opset every built graph imports.</summary>
    public const int Opset = 13;

    /// <summary>The symbolic batch dimension of inputs, outputs and value infos.</summary>
    public const string BatchDimension = "N";

    private readonly GraphProto _graph;
    private readonly long _seed;
    private readonly List<string> _scopes = [];
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GraphTensor> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<float, string> _scalarConstants = [];
    private readonly List<GraphTensor> _outputs = [];

    /// <summary>A builder for a graph called <paramref name="graphName"/> whose parameters draw from <paramref name="seed"/>.</summary>
    public GraphBuilder(string graphName, long seed)
    {
        _graph = new GraphProto { Name = graphName };
        _seed = seed;
    }

    /// <summary>The seed of every parameter's random stream (see <see cref="SeededRandom.ForTensor"/>).</summary>
    public long Seed => _seed;

    /// <summary>
    /// Names created until the returned object is disposed are prefixed with <paramref name="name"/> and a dot
    /// (nest scopes for <c>layer1.0.</c>).
    /// </summary>
    public IDisposable Scope(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('.'))
            throw new ArgumentException($"scope name '{name}' must be non-empty and contain no dot (nest scopes instead)");
        _scopes.Add(name);
        int depth = _scopes.Count;
        return new ScopeExit(() =>
        {
            if (_scopes.Count != depth) throw new InvalidOperationException("scopes must be closed in the reverse order of opening");
            _scopes.RemoveAt(_scopes.Count - 1);
        });
    }

    /// <summary>The graph input <paramref name="name"/> of shape [N, <paramref name="shape"/>…].</summary>
    public GraphTensor Input(string name, params long[] shape)
    {
        if (shape.Any(d => d < 1)) throw new ArgumentException($"input '{name}' needs positive dimensions, got [{string.Join(",", shape)}]");
        var tensor = RegisterValue(name, shape);
        _graph.Input.Add(FloatValueInfo(name, [BatchDimension, .. shape.Cast<object>()]));
        return tensor;
    }

    /// <summary>
    /// <c>nn.Conv2d</c>: a square-kernel convolution (ONNX <c>Conv</c>) with weight [out, in/groups, k, k] and an optional bias.
    /// Default initialization is PyTorch's (<see cref="WeightInit.PyTorchDefault"/>) for both.
    /// </summary>
    public GraphTensor Conv2d(GraphTensor x, int outChannels, int kernel, int stride = 1, int padding = 0, int groups = 1,
        int dilation = 1, bool bias = true, WeightInit? weightInit = null, WeightInit? biasInit = null, string? name = null,
        string? output = null)
    {
        string node = NodeName(name ?? "conv");
        RequireFeatureMap(x, node);
        if (outChannels < 1 || kernel < 1 || stride < 1 || padding < 0 || groups < 1 || dilation < 1)
            throw new ArgumentException($"{node}: invalid convolution (out {outChannels}, kernel {kernel}, stride {stride}, padding {padding}, groups {groups}, dilation {dilation})");
        if (x.Channels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"{node}: {x.Channels} input and {outChannels} output channels are not divisible into {groups} groups");
        long height = OutputSize(node, x.Height, kernel, stride, padding, dilation);
        long width = OutputSize(node, x.Width, kernel, stride, padding, dilation);
        long[] weightShape = [outChannels, x.Channels / groups, kernel, kernel];
        var inputs = new List<string> { x.Name, Parameter(node, "weight", weightShape, weightInit ?? WeightInit.PyTorchDefault, weightShape) };
        if (bias) inputs.Add(Parameter(node, "bias", [outChannels], biasInit ?? WeightInit.PyTorchDefault, weightShape));
        return AddNode("Conv", node, [.. inputs], output, [outChannels, height, width],
            IntsAttribute("kernel_shape", kernel, kernel), IntsAttribute("strides", stride, stride),
            IntsAttribute("pads", padding, padding, padding, padding), IntsAttribute("dilations", dilation, dilation),
            IntAttribute("group", groups));
    }

    /// <summary>
    /// <c>nn.BatchNorm2d</c> (ONNX <c>BatchNormalization</c>): affine weight (ones) and bias (zeros) are parameters; running_mean
    /// (zeros) and running_var (ones) are statistics. <paramref name="momentum"/> is PyTorch's (0.1); ONNX stores 1 − momentum.
    /// </summary>
    public GraphTensor BatchNorm2d(GraphTensor x, string? name = null, double epsilon = 1e-5, double momentum = 0.1,
        WeightInit? weightInit = null, string? output = null)
    {
        string node = NodeName(name ?? "bn");
        RequireFeatureMap(x, node);
        long[] shape = [x.Channels];
        string[] inputs =
        [
            x.Name,
            Parameter(node, "weight", shape, weightInit ?? WeightInit.Ones, shape),
            Parameter(node, "bias", shape, WeightInit.Zeros, shape),
            Parameter(node, "running_mean", shape, WeightInit.Zeros, shape),
            Parameter(node, "running_var", shape, WeightInit.Ones, shape),
        ];
        return AddNode("BatchNormalization", node, inputs, output, x.Shape,
            FloatAttribute("epsilon", (float)epsilon), FloatAttribute("momentum", (float)(1 - momentum)));
    }

    /// <summary><c>nn.ReLU</c>.</summary>
    public GraphTensor Relu(GraphTensor x, string? name = null, string? output = null) =>
        AddNode("Relu", NodeName(name ?? "relu"), [x.Name], output, x.Shape);

    /// <summary><c>nn.ReLU6</c> as ONNX <c>Clip(x, 0, 6)</c> (the bounds are Constant nodes).</summary>
    public GraphTensor Relu6(GraphTensor x, string? name = null, string? output = null)
    {
        string node = NodeName(name ?? "relu6");
        return AddNode("Clip", node, [x.Name, ScalarConstant(0f), ScalarConstant(6f)], output, x.Shape);
    }

    /// <summary>
    /// <c>nn.Tanh</c>, written as tanh(x) = 2·sigmoid(2x) − 1 with Mul, Sigmoid and Sub: the graph executor that trains these
    /// models has Sigmoid but no Tanh. The four nodes share the layer's name as a prefix; the last one carries it.
    /// </summary>
    public GraphTensor Tanh(GraphTensor x, string? name = null, string? output = null)
    {
        string node = NodeName(name ?? "tanh");
        var doubled = AddNode("Mul", NodeName(node + ".double_input", scoped: false), [x.Name, ScalarConstant(2f)], null, x.Shape);
        var sigmoid = AddNode("Sigmoid", NodeName(node + ".sigmoid", scoped: false), [doubled.Name], null, x.Shape);
        var scaled = AddNode("Mul", NodeName(node + ".double_output", scoped: false), [sigmoid.Name, ScalarConstant(2f)], null, x.Shape);
        return AddNode("Sub", node, [scaled.Name, ScalarConstant(1f)], output, x.Shape);
    }

    /// <summary><c>nn.MaxPool2d</c> (square window, floor rounding like PyTorch's default).</summary>
    public GraphTensor MaxPool2d(GraphTensor x, int kernel, int stride, int padding = 0, string? name = null, string? output = null)
    {
        string node = NodeName(name ?? "maxpool");
        RequireFeatureMap(x, node);
        if (kernel < 1 || stride < 1 || padding < 0 || 2 * padding > kernel)
            throw new ArgumentException($"{node}: invalid pooling (kernel {kernel}, stride {stride}, padding {padding})");
        long height = OutputSize(node, x.Height, kernel, stride, padding, 1);
        long width = OutputSize(node, x.Width, kernel, stride, padding, 1);
        return AddNode("MaxPool", node, [x.Name], output, [x.Channels, height, width],
            IntsAttribute("kernel_shape", kernel, kernel), IntsAttribute("strides", stride, stride),
            IntsAttribute("pads", padding, padding, padding, padding));
    }

    /// <summary><c>nn.AdaptiveAvgPool2d(1)</c> as ONNX <c>GlobalAveragePool</c>: [C, H, W] → [C, 1, 1].</summary>
    public GraphTensor GlobalAveragePool(GraphTensor x, string? name = null, string? output = null)
    {
        string node = NodeName(name ?? "avgpool");
        RequireFeatureMap(x, node);
        return AddNode("GlobalAveragePool", node, [x.Name], output, [x.Channels, 1, 1]);
    }

    /// <summary><c>torch.flatten(x, 1)</c>: everything but the batch becomes one vector.</summary>
    public GraphTensor Flatten(GraphTensor x, string? name = null, string? output = null) =>
        AddNode("Flatten", NodeName(name ?? "flatten"), [x.Name], output, [x.ElementsPerExample], IntAttribute("axis", 1));

    /// <summary>
    /// <c>nn.Linear</c> as ONNX <c>Gemm(x, W, b, transB=1)</c> with W stored [out, in] like PyTorch. Default initialization is
    /// PyTorch's (<see cref="WeightInit.PyTorchDefault"/>) for both weight and bias.
    /// </summary>
    public GraphTensor Linear(GraphTensor x, int outFeatures, bool bias = true, WeightInit? weightInit = null,
        WeightInit? biasInit = null, string? name = null, string? output = null)
    {
        string node = NodeName(name ?? "linear");
        if (x.Shape.Count != 1)
            throw new ArgumentException($"{node}: Linear needs a vector input, '{x.Name}' is [{x.ShapeText}] (flatten it first)");
        if (outFeatures < 1) throw new ArgumentException($"{node}: Linear needs at least one output feature, got {outFeatures}");
        long[] weightShape = [outFeatures, x.Channels];
        var inputs = new List<string> { x.Name, Parameter(node, "weight", weightShape, weightInit ?? WeightInit.PyTorchDefault, weightShape) };
        if (bias) inputs.Add(Parameter(node, "bias", [outFeatures], biasInit ?? WeightInit.PyTorchDefault, weightShape));
        return AddNode("Gemm", node, [.. inputs], output, [outFeatures], IntAttribute("transB", 1));
    }

    /// <summary>
    /// <c>nn.Dropout(ratio)</c> as ONNX <c>Dropout</c> (ratio from a Constant node); an identity at inference, and a trainer
    /// that runs the graph in training mode drops activations. A ratio of 0 adds no node.
    /// </summary>
    public GraphTensor Dropout(GraphTensor x, double ratio, string? name = null, string? output = null)
    {
        if (!(ratio >= 0 && ratio < 1))
            throw new ArgumentException($"{NodeName(name ?? "dropout")}: dropout ratio must be in [0, 1), got {ratio}");
        if (ratio == 0 && output is null) return x;
        return AddNode("Dropout", NodeName(name ?? "dropout"), [x.Name, ScalarConstant((float)ratio)], output, x.Shape);
    }

    /// <summary>Elementwise sum of two tensors of the same shape (a residual connection).</summary>
    public GraphTensor Add(GraphTensor a, GraphTensor b, string? name = null, string? output = null)
    {
        string node = NodeName(name ?? "add");
        if (!a.Shape.SequenceEqual(b.Shape))
            throw new ArgumentException($"{node}: cannot add '{a.Name}' [{a.ShapeText}] and '{b.Name}' [{b.ShapeText}]");
        return AddNode("Add", node, [a.Name, b.Name], output, a.Shape);
    }

    /// <summary>Makes <paramref name="tensor"/> a graph output (in the order of the calls).</summary>
    public GraphBuilder Output(GraphTensor tensor)
    {
        if (!_values.ContainsKey(tensor.Name)) throw new ArgumentException($"'{tensor.Name}' is not a tensor of this graph");
        _outputs.Add(tensor);
        return this;
    }

    /// <summary>
    /// The finished model: opset <see cref="Opset"/>, value infos with the tracked shapes for every intermediate tensor,
    /// <paramref name="docString"/> as the model's description and <paramref name="metadata"/> as its metadata_props.
    /// </summary>
    public ModelProto Build(string docString = "", IEnumerable<KeyValuePair<string, string>>? metadata = null)
    {
        if (_outputs.Count == 0) throw new InvalidOperationException($"graph '{_graph.Name}' has no outputs");
        var graph = _graph.Clone();
        var outputNames = _outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var inputNames = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var output in _outputs)
            graph.Output.Add(FloatValueInfo(output.Name, [BatchDimension, .. output.Shape.Cast<object>()]));
        foreach (var node in graph.Node.Where(n => n.OpType != "Constant"))
            foreach (var name in node.Output.Where(o => !outputNames.Contains(o) && !inputNames.Contains(o)))
                graph.ValueInfo.Add(FloatValueInfo(name, [BatchDimension, .. _values[name].Shape.Cast<object>()]));
        var model = new ModelProto
        {
            IrVersion = 7,
            ProducerName = "MLPipelines.Architectures",
            DocString = docString,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata ?? [])
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    private string Parameter(string node, string suffix, long[] shape, WeightInit init, IReadOnlyList<long> layerWeightShape)
    {
        string name = $"{node}.{suffix}";
        if (_values.ContainsKey(name)) throw new InvalidOperationException($"parameter '{name}' already exists");
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var values = init.Create(count, layerWeightShape, SeededRandom.ForTensor(unchecked((ulong)_seed), name));
        _graph.Initializer.Add(Float(name, shape, values));
        RegisterValue(name, shape);
        return name;
    }

    /// <summary>A scalar float Constant node, made once per value and shared.</summary>
    private string ScalarConstant(float value)
    {
        if (_scalarConstants.TryGetValue(value, out var existing)) return existing;
        string node = NodeName("constant_" + value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), scoped: false);
        var tensor = Float(node, [], [value]);
        _graph.Node.Add(Node("Constant", node, [], [node], new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor }));
        RegisterValue(node, []);
        _scalarConstants[value] = node;
        return node;
    }

    private GraphTensor AddNode(string opType, string node, string[] inputs, string? output, IReadOnlyList<long> shape,
        params AttributeProto[] attributes)
    {
        string tensorName = output ?? node;
        if (output is not null && (_values.ContainsKey(output) || _nodeNames.Contains(output)))
            throw new InvalidOperationException($"{node}: output name '{output}' is already taken");
        foreach (var input in inputs)
            if (!_values.ContainsKey(input)) throw new InvalidOperationException($"{node}: input '{input}' is not a tensor of this graph");
        _graph.Node.Add(Node(opType, node, inputs, [tensorName], attributes));
        return RegisterValue(tensorName, shape);
    }

    private GraphTensor RegisterValue(string name, IReadOnlyList<long> shape)
    {
        if (!_values.TryAdd(name, new GraphTensor(name, shape.ToArray())))
            throw new InvalidOperationException($"tensor name '{name}' is already taken");
        return _values[name];
    }

    /// <summary>The scoped, unique name for a new node (also free as a tensor name, since a node's output takes its name).</summary>
    private string NodeName(string name, bool scoped = true)
    {
        string full = scoped && _scopes.Count > 0 ? string.Join('.', _scopes) + "." + name : name;
        string candidate = full;
        for (int i = 1; _nodeNames.Contains(candidate) || _values.ContainsKey(candidate); i++)
            candidate = $"{full}_{i}";
        _nodeNames.Add(candidate);
        return candidate;
    }

    private static long OutputSize(string node, long size, int kernel, int stride, int padding, int dilation)
    {
        long result = (size + 2L * padding - (long)dilation * (kernel - 1) - 1) / stride + 1;
        if (size + 2L * padding - (long)dilation * (kernel - 1) - 1 < 0 || result < 1)
            throw new ArgumentException($"{node}: a {size}-pixel side is too small for a {kernel}×{kernel} window with padding {padding} (the input image is too small for this architecture)");
        return result;
    }

    private static void RequireFeatureMap(GraphTensor x, string node)
    {
        if (x.Shape.Count != 3)
            throw new ArgumentException($"{node}: needs a [C,H,W] feature map, '{x.Name}' is [{x.ShapeText}]");
    }

    private static AttributeProto FloatAttribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private sealed class ScopeExit(Action exit) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            exit();
        }
    }
}
