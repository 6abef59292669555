using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;
using MLPipelines.Torch.Onnx.Execution;
using MLPipelines.Torch.Onnx.Export;
using MLPipelines.Torch.Onnx.Surgery;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Onnx;

/// <summary>
/// A TorchSharp module that executes an ONNX graph: float initializers read by trained op inputs (Conv/Gemm weights and
/// biases, BatchNormalization scale and shift, operands of Add/Sub/Mul/Div/MatMul) are trainable parameters,
/// BatchNormalization running statistics are buffers, and everything else is a constant. train()/eval() are respected
/// (batch statistics with running-stat updates and active Dropout in train mode). The graph is compiled once into kernels
/// over tensor slots. Surgery (<see cref="CutAt"/>, <see cref="WithClassificationHead"/>) returns a new module with copies of
/// the current weights; <see cref="ToModel"/> and <see cref="Save"/> write the network back to ONNX. See docs/onnx-bridge.md.
/// </summary>
public sealed class OnnxModule : nn.Module<Tensor, Tensor>
{
    private readonly ModelProto _model;
    private readonly OnnxModuleOptions _options;
    private readonly Dictionary<string, Tensor> _tensors = new();
    private readonly Dictionary<string, InitializerRole> _roles;
    private readonly TorchParameterNames _torchNames = new();
    private readonly HashSet<string> _headNodes;
    private readonly HashSet<string> _headParameters;
    private readonly CompiledGraph _compiled;
    private readonly int _outputSlot;
    private IReadOnlyList<BlockPartition.Block>? _blocks;
    private HashSet<int>? _headNodeIndices;
    private CompiledGraph? _headGraph;

    private OnnxModule(ModelProto model, OnnxModuleOptions options, IReadOnlyDictionary<string, Tensor>? inherited,
        IEnumerable<string> headNodes, IEnumerable<string> headParameters) : base(nameof(OnnxModule))
    {
        TorchSharpRuntime.EnsureInitialized();
        _model = model;
        _options = options;
        var graph = model.Graph;
        var inputs = OnnxGraphEditor.DataInputs(model);
        if (inputs.Count != 1)
            throw new OnnxNotSupportedException($"the graph has {inputs.Count} data inputs ({string.Join(", ", inputs.Select(i => i.Name))}); OnnxModule needs exactly one");
        if (graph.Output.Count == 0)
            throw new OnnxFormatException("the graph has no outputs");
        InputName = inputs[0].Name;
        OutputName = graph.Output[0].Name;
        // The batch dimension is always dynamic here, even where the file fixes it (zoo models often say 1).
        InputShape = inputs[0].Type?.TensorType?.Shape?.Dim.Select((d, i) => i > 0 && d.DimValue > 0 ? d.DimValue : -1L).ToArray() ?? [];
        _headNodes = headNodes.ToHashSet();
        _headParameters = headParameters.ToHashSet();
        GraphCompiler.CheckSupported(model);

        _roles = InitializerRoles.Classify(graph);
        foreach (var proto in graph.Initializer)
        {
            var role = _roles[proto.Name];
            Tensor value = inherited is not null && inherited.TryGetValue(proto.Name, out var source)
                ? source.detach().clone()
                : OnnxTensorConverter.ToTorch(proto, $"initializer '{proto.Name}'");
            string torchName = _torchNames.Add(proto.Name);
            switch (role)
            {
                case InitializerRole.Parameter:
                    var parameter = new Parameter(value, requires_grad: inherited?.GetValueOrDefault(proto.Name)?.requires_grad ?? true);
                    register_parameter(torchName, parameter);
                    _tensors[proto.Name] = parameter;
                    break;
                case InitializerRole.Buffer:
                    register_buffer(torchName, value);
                    _tensors[proto.Name] = value;
                    break;
                default:
                    _tensors[proto.Name] = value;
                    break;
            }
        }
        ParameterNames = graph.Initializer.Where(t => _roles[t.Name] == InitializerRole.Parameter).Select(t => t.Name).ToList();
        var constants = _roles.Where(p => p.Value == InitializerRole.Constant).Select(p => p.Key).ToHashSet();
        _compiled = GraphCompiler.Compile(model, _tensors, constants, [InputName], options);
        _outputSlot = _compiled.SlotOf(OutputName);
    }

    /// <summary>Loads an ONNX file (<see cref="OnnxModelFile.Load"/>) and compiles it.</summary>
    public static OnnxModule Load(string onnxPath, OnnxModuleOptions? options = null) =>
        FromModel(OnnxModelFile.Load(onnxPath), options);

    /// <summary>A module executing <paramref name="model"/> (which is copied, not kept).</summary>
    /// <exception cref="OnnxNotSupportedException">An op, attribute, data type or opset the executor does not implement.</exception>
    public static OnnxModule FromModel(ModelProto model, OnnxModuleOptions? options = null) =>
        new(model.Clone(), options ?? new OnnxModuleOptions(), null, [], []);

    /// <summary>The single data input (a graph input that is not an initializer).</summary>
    public string InputName { get; }

    /// <summary>The tensor <see cref="forward"/> returns: the first graph output.</summary>
    public string OutputName { get; }

    /// <summary>The input's shape from the graph, −1 for dynamic dimensions (e.g. [-1, 3, 224, 224]); the batch is always −1.</summary>
    public IReadOnlyList<long> InputShape { get; }

    /// <summary>Names of the trainable initializers, in graph order.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>The ONNX name → registered TorchSharp name map (state_dict keys).</summary>
    public IReadOnlyDictionary<string, string> TorchNames => _torchNames.ByOnnxName;

    /// <summary>The parameter or buffer tensor of ONNX initializer <paramref name="onnxName"/>.</summary>
    public Tensor Initializer(string onnxName) => _tensors.TryGetValue(onnxName, out var t) && _roles[onnxName] != InitializerRole.Constant
        ? t
        : throw new ArgumentException($"'{onnxName}' is not a parameter or running statistic of this graph");

    /// <summary>
    /// The parameters and running statistics in the order the graph's nodes first read them (a network's layer order, which
    /// a hand-written twin's registration order follows), each with whether it is a running statistic.
    /// </summary>
    internal IReadOnlyList<(string Name, bool RunningStatistic)> InitializersInNodeOrder()
    {
        var seen = new HashSet<string>();
        var ordered = new List<(string, bool)>();
        foreach (var node in _model.Graph.Node)
            foreach (string input in node.Input)
                if (_roles.TryGetValue(input, out var role) && role != InitializerRole.Constant && seen.Add(input))
                    ordered.Add((input, role == InitializerRole.Buffer));
        return ordered;
    }

    /// <summary>Runs the graph to <see cref="OutputName"/>.</summary>
    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        return _compiled.Run([input], [_outputSlot], training)[0];
    }

    /// <summary>Runs the graph to any of its tensors (e.g. the last convolution block, for Grad-CAM).</summary>
    public Tensor Forward(Tensor input, string outputName)
    {
        CheckInput(input);
        return _compiled.Run([input], [_compiled.SlotOf(outputName)], training)[0];
    }

    /// <summary>Runs the graph once to several of its tensors (e.g. the logits and the last block's activations, for Grad-CAM).</summary>
    public IReadOnlyList<Tensor> Forward(Tensor input, IReadOnlyList<string> outputNames)
    {
        CheckInput(input);
        return _compiled.Run([input], outputNames.Select(_compiled.SlotOf).ToArray(), training);
    }

    /// <summary>
    /// The tensor the head added by <see cref="WithClassificationHead"/> reads (the backbone's output), or null when the
    /// module has no such head.
    /// </summary>
    public string? HeadInputName => HeadNodeIndices().Count == 0 ? null : _model.Graph.Node[HeadNodeIndices().Min()].Input[0];

    /// <summary>
    /// Whether the backbone (everything before <see cref="HeadInputName"/>) computes the same in training and eval mode once
    /// its parameters are frozen: true when it has no Dropout node (frozen batch normalization already reads its running
    /// statistics, see <see cref="OnnxModuleOptions.FrozenBatchNormUsesRunningStatistics"/>).
    /// </summary>
    public bool BackboneIgnoresTrainingMode => _model.Graph.Node
        .Where(n => !_headNodes.Contains(n.Name))
        .All(n => n.OpType != "Dropout");

    /// <summary>
    /// Runs only the head, from tensors of <see cref="HeadInputName"/> (e.g. backbone outputs computed once and cached) to
    /// <see cref="OutputName"/>, with the same parameters as <see cref="forward"/>, so gradients reach the head's weights.
    /// </summary>
    public Tensor ForwardHead(Tensor features)
    {
        string input = HeadInputName ?? throw new InvalidOperationException("the module has no classification head to run on its own");
        _headGraph ??= CompileHead(input);
        return _headGraph.Run([features], [_headGraph.SlotOf(OutputName)], training)[0];
    }

    /// <summary>A new module whose output is tensor <paramref name="tensorName"/>; nodes and parameters it does not need are dropped.</summary>
    public OnnxModule CutAt(string tensorName)
    {
        var cut = OnnxGraphEditor.SelectOutputs(_model, [(tensorName, tensorName)]);
        var nodes = cut.Graph.Node.Select(n => n.Name).Where(_headNodes.Contains);
        return Derive(cut, nodes, _headParameters.Where(p => cut.Graph.Initializer.Any(t => t.Name == p)));
    }

    /// <summary>
    /// A new module with a classification head on <see cref="OutputName"/>: Flatten (if the features have spatial dimensions),
    /// Dropout when <paramref name="dropout"/> &gt; 0, and a Linear (Gemm) layer to <paramref name="classCount"/> classes
    /// initialized like torch.nn.Linear from <paramref name="seed"/>. Its output is named "logits".
    /// </summary>
    public OnnxModule WithClassificationHead(int classCount, double dropout = 0.0, int seed = 42)
    {
        long[] features = ProbeOutputShape() ?? throw new InvalidOperationException(
            $"cannot size a head: the output shape of '{OutputName}' is unknown because input '{InputName}' has dynamic dimensions besides the batch [{string.Join(",", InputShape)}]");
        var added = ClassificationHead.Append(_model, OutputName, features, classCount, dropout, seed);
        return Derive(added.Model, _headNodes.Concat(added.Nodes), _headParameters.Concat(added.Parameters));
    }

    /// <summary>Sets requires_grad=false on the parameters whose ONNX name starts with <paramref name="namePrefix"/>.</summary>
    public void Freeze(string namePrefix = "") => SetTrainable(n => n.StartsWith(namePrefix, StringComparison.Ordinal), false);

    /// <summary>Sets requires_grad=true on the parameters whose ONNX name starts with <paramref name="namePrefix"/>.</summary>
    public void Unfreeze(string namePrefix = "") => SetTrainable(n => n.StartsWith(namePrefix, StringComparison.Ordinal), true);

    /// <summary>
    /// The backbone's stages in order, each named after the tensor it ends with. Blocks end where a residual connection or a
    /// concatenation joins (or a residual starts) and every path passes through one tensor; parameter-free blocks merge
    /// into the previous one; a plain chain is split per layer. The head is not a block. See docs/onnx-bridge.md.
    /// </summary>
    public IReadOnlyList<string> Blocks => PartitionBlocks().Select(b => b.Name).ToList();

    /// <summary>The number of trainable values (parameter elements) in each of <see cref="Blocks"/>.</summary>
    public IReadOnlyList<long> BlockParameterCounts() => PartitionBlocks()
        .Select(b => b.Nodes.SelectMany(i => _model.Graph.Node[i].Input).Distinct()
            .Where(n => _roles.GetValueOrDefault(n) == InitializerRole.Parameter && _tensors.ContainsKey(n)).Sum(n => _tensors[n].numel()))
        .ToList();

    /// <summary>Freezes every backbone parameter except those of the last <paramref name="k"/> blocks; the head stays trainable.</summary>
    public void FreezeAllButLastBlocks(int k)
    {
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "the number of trainable blocks cannot be negative");
        var blocks = PartitionBlocks();
        var trainable = blocks.Skip(Math.Max(0, blocks.Count - k))
            .SelectMany(b => b.Nodes).SelectMany(i => _model.Graph.Node[i].Input).ToHashSet();
        SetTrainable(n => _headParameters.Contains(n) || trainable.Contains(n), null);
    }

    /// <summary>The parameters added by <see cref="WithClassificationHead"/>.</summary>
    public IReadOnlyList<Parameter> HeadParameters() =>
        ParameterNames.Where(_headParameters.Contains).Select(n => (Parameter)_tensors[n]).ToList();

    /// <summary>All parameters that are not in the head.</summary>
    public IReadOnlyList<Parameter> BackboneParameters() =>
        ParameterNames.Where(n => !_headParameters.Contains(n)).Select(n => (Parameter)_tensors[n]).ToList();

    /// <summary>
    /// The network as ONNX with the current weights and running statistics, eval semantics (no Dropout) and a dynamic batch
    /// dimension, named and optionally extended (normalization, softmax) by <paramref name="options"/>.
    /// </summary>
    public ModelProto ToModel(OnnxExportOptions? options = null)
    {
        options ??= new OnnxExportOptions();
        return OnnxModelExporter.Export(_model, name => _roles.GetValueOrDefault(name, InitializerRole.Constant) == InitializerRole.Constant ? null : _tensors[name],
            InputName, OutputName, ProbeOutputShape(), options);
    }

    /// <summary>Writes <see cref="ToModel"/> to <paramref name="onnxPath"/> atomically.</summary>
    public void Save(string onnxPath, OnnxExportOptions? options = null) => OnnxModelFile.Save(ToModel(options), onnxPath);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _compiled.Dispose();
            _headGraph?.Dispose();
            foreach (var (name, tensor) in _tensors)
                if (_roles[name] == InitializerRole.Constant) tensor.Dispose();
        }
        base.Dispose(disposing);
    }

    private OnnxModule Derive(ModelProto model, IEnumerable<string> headNodes, IEnumerable<string> headParameters) =>
        new(model, _options, _tensors, headNodes, headParameters);

    private void SetTrainable(Func<string, bool> selected, bool? value)
    {
        foreach (string name in ParameterNames)
        {
            bool match = selected(name);
            if (value is null) _tensors[name].requires_grad = match;
            else if (match) _tensors[name].requires_grad = value.Value;
        }
    }

    private HashSet<int> HeadNodeIndices() => _headNodeIndices ??=
        Enumerable.Range(0, _model.Graph.Node.Count).Where(i => _headNodes.Contains(_model.Graph.Node[i].Name)).ToHashSet();

    /// <summary>The head's nodes compiled as a graph of their own whose input is <paramref name="input"/>, over the shared tensors.</summary>
    private CompiledGraph CompileHead(string input)
    {
        var head = _model.Clone();
        var nodes = head.Graph.Node.Where(n => _headNodes.Contains(n.Name)).ToList();
        head.Graph.Node.Clear();
        head.Graph.Node.AddRange(nodes);
        var constants = _roles.Where(p => p.Value == InitializerRole.Constant).Select(p => p.Key).ToHashSet();
        return GraphCompiler.Compile(head, _tensors, constants, [input], _options);
    }

    private IReadOnlyList<BlockPartition.Block> PartitionBlocks()
    {
        if (_blocks is not null) return _blocks;
        var graph = _model.Graph;
        var head = HeadNodeIndices();
        string end = head.Count == 0 ? OutputName : HeadInputName!;
        _blocks = BlockPartition.Split(graph, head, n => _roles.GetValueOrDefault(n) == InitializerRole.Parameter && _tensors.ContainsKey(n) && !_headParameters.Contains(n), end);
        return _blocks;
    }

    /// <summary>The output's shape without the batch, from an eval run on zeros; null when the input size is not fixed.</summary>
    private long[]? ProbeOutputShape()
    {
        if (InputShape.Count == 0 || InputShape.Skip(1).Any(d => d < 0)) return null;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var input = torch.zeros([1, .. InputShape.Skip(1)]);
        return _compiled.Run([input], [_outputSlot], training: false)[0].shape[1..];
    }

    private void CheckInput(Tensor input)
    {
        if (InputShape.Count == 0) return;
        long[] shape = input.shape;
        bool fits = shape.Length == InputShape.Count && shape.Zip(InputShape).All(p => p.Second < 0 || p.First == p.Second);
        if (!fits)
            throw new ArgumentException($"input '{InputName}' expects shape [{string.Join(",", InputShape.Select(d => d < 0 ? "?" : d.ToString()))}], got [{string.Join(",", shape)}]");
    }
}
