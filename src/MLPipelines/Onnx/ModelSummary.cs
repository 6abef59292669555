using System.Globalization;
using System.Text;
using MLPipelines.Onnx.Proto;
using MLPipelines.Reports;
using static MLPipelines.Onnx.ModelSummaryInitializerRoles;

namespace MLPipelines.Onnx;

/// <summary>
/// A layer table for any ONNX model, built here or imported — what PyTorch's <c>print(model)</c> plus a parameter count, or
/// Keras' <c>model.summary()</c>, show: one row per node (Constant nodes left out) with its op, output shape, parameter
/// count and the initializers it reads, then the totals. Trainable parameters exclude BatchNormalization running
/// statistics, which are reported separately (as PyTorch counts <c>parameters()</c> but not buffers). Output shapes are
/// measured with ONNX Runtime on a zero input (see <see cref="ShapeSource"/>).
/// <code>
/// var summary = ModelSummary.Create(OnnxModelFile.Load("squeezenet1.1-7.onnx"));
/// Console.WriteLine(summary);              // aligned text; summary.ToMarkdown() for reports
/// long trainable = summary.Totals.Parameters;
/// </code>
/// </summary>
public sealed class ModelSummary
{
    private ModelSummary(string name, string inputName, string inputShape, IReadOnlyList<ModelSummaryLayer> layers,
        ModelSummaryTotals totals, string shapeSource)
    {
        Name = name;
        InputName = inputName;
        InputShape = inputShape;
        Layers = layers;
        Totals = totals;
        ShapeSource = shapeSource;
    }

    /// <summary>The model's name (given, or the graph's).</summary>
    public string Name { get; }

    /// <summary>The image input's name.</summary>
    public string InputName { get; }

    /// <summary>The input shape the table was measured with, e.g. <c>[N, 3, 224, 224]</c>.</summary>
    public string InputShape { get; }

    /// <summary>One row per node, in graph order.</summary>
    public IReadOnlyList<ModelSummaryLayer> Layers { get; }

    /// <summary>Parameter, buffer and constant totals.</summary>
    public ModelSummaryTotals Totals { get; }

    /// <summary>Where the output shapes come from: "ONNX Runtime", or the model's declared shapes when it could not run.</summary>
    public string ShapeSource { get; }

    /// <summary>
    /// Summarizes <paramref name="model"/>, which must have one data input. <paramref name="inputShape"/> is the full input
    /// shape (e.g. 1,3,224,224) or the shape without the batch (3,224,224); by default the model's declared input shape,
    /// with a symbolic batch taken as 1. Dimensions other than the batch must be known one way or the other.
    /// </summary>
    public static ModelSummary Create(ModelProto model, IReadOnlyList<long>? inputShape = null, string? name = null)
    {
        var dataInputs = OnnxGraphEditor.DataInputs(model);
        if (dataInputs.Count != 1)
            throw new OnnxFormatException($"a summary needs a model with exactly one data input; this one has {dataInputs.Count}: {string.Join(", ", dataInputs.Select(i => i.Name))}");
        var input = dataInputs[0];
        var tensorType = input.Type?.TensorType;
        if (tensorType is not null && tensorType.ElemType != (int)TensorProto.Types.DataType.Float)
            throw new OnnxFormatException($"input '{input.Name}' has element type {(TensorProto.Types.DataType)tensorType.ElemType}; a summary can only feed float inputs");
        var declared = tensorType?.Shape?.Dim;
        var (shape, batchIsSymbolic) = ConcreteInputShape(input.Name, declared, inputShape);
        var (shapes, source) = ModelSummaryShapes.Infer(model, input.Name, shape, batchIsSymbolic);
        var layers = Rows(model, shapes);
        var totals = CountParameters(model);
        string inputText = ModelSummaryShapes.Format(shape.Select((d, i) => i == 0 && batchIsSymbolic ? "N" : d.ToString()));
        return new ModelSummary(name ?? (string.IsNullOrEmpty(model.Graph.Name) ? "model" : model.Graph.Name), input.Name, inputText,
            layers, totals, source);
    }

    /// <summary>The parameter, buffer and constant totals of <paramref name="model"/>, without running it.</summary>
    public static ModelSummaryTotals CountParameters(ModelProto model)
    {
        long parameters = 0, buffers = 0, constants = 0;
        int parameterTensors = 0, bufferTensors = 0;
        foreach (var (tensor, role) in InitializerRoles(model))
        {
            long count = ElementCount(tensor);
            switch (role)
            {
                case Role.Parameter: parameters += count; parameterTensors++; break;
                case Role.Buffer: buffers += count; bufferTensors++; break;
                default: constants += count; break;
            }
        }
        return new ModelSummaryTotals(parameters, buffers, constants, parameterTensors, bufferTensors);
    }

    /// <summary>The table as GitHub Markdown, followed by the totals.</summary>
    public string ToMarkdown()
    {
        var table = new MarkdownTable("#", "Layer", "Op", "Output shape", "Parameters", "Tensors").AlignRight(0, 4);
        for (int i = 0; i < Layers.Count; i++)
        {
            var layer = Layers[i];
            table.Add(i + 1, $"`{layer.Name}`", layer.OpType, layer.OutputShape, Thousands(layer.Parameters), layer.Tensors);
        }
        var text = new StringBuilder();
        text.Append($"**{Name}**: input `{InputName}` {InputShape}; output shapes from {ShapeSource}.\n\n");
        text.Append(table);
        text.Append('\n');
        foreach (var line in TotalLines()) text.Append("- ").Append(line).Append('\n');
        return text.ToString();
    }

    /// <summary>An aligned plain-text table, followed by the totals.</summary>
    public override string ToString()
    {
        string[] headers = ["Layer", "Op", "Output shape", "Parameters", "Tensors"];
        var rows = Layers.Select(l => new[] { l.Name, l.OpType, l.OutputShape, Thousands(l.Parameters), l.Tensors }).ToList();
        var widths = headers.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((cell, c) =>
            c == 3 ? cell.PadLeft(widths[c]) : c == cells.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd();
        var text = new StringBuilder();
        text.Append($"{Name}: input '{InputName}' {InputShape}; output shapes from {ShapeSource}\n");
        text.Append(Line(headers)).Append('\n');
        // Rules span the fixed columns and at most 40 characters of the free-text tensor column.
        int rule = widths[..^1].Sum() + 2 * (widths.Length - 1) + Math.Min(widths[^1], 40);
        text.Append(new string('-', rule)).Append('\n');
        foreach (var row in rows) text.Append(Line(row)).Append('\n');
        text.Append(new string('=', rule)).Append('\n');
        foreach (var line in TotalLines()) text.Append(line).Append('\n');
        return text.ToString();
    }

    private IEnumerable<string> TotalLines()
    {
        yield return $"Trainable parameters: {Thousands(Totals.Parameters)} in {Totals.ParameterTensors} tensors";
        yield return $"BatchNorm running statistics (not trainable): {Thousands(Totals.Buffers)} in {Totals.BufferTensors} tensors";
        if (Totals.Constants > 0) yield return $"Constant values (shapes, quantized weights, op settings): {Thousands(Totals.Constants)}";
        yield return $"Layers: {Layers.Count}";
    }

    private static List<ModelSummaryLayer> Rows(ModelProto model, IReadOnlyDictionary<string, string> shapes)
    {
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<ModelSummaryLayer>();
        foreach (var node in model.Graph.Node)
        {
            if (node.OpType == "Constant") continue;
            string name = string.IsNullOrEmpty(node.Name) ? node.Output.FirstOrDefault(o => o.Length > 0) ?? node.OpType : node.Name;
            long parameters = 0, buffers = 0;
            var tensors = new List<string>();
            var bufferTensors = new List<string>();
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (!initializers.TryGetValue(node.Input[i], out var tensor) || !seen.Add(tensor.Name)) continue;
                var role = ModelSummaryInitializerRoles.Of(tensor, node, i);
                string label = $"{ShortName(tensor.Name, name)} {(tensor.Dims.Count == 0 ? "scalar" : string.Join("×", tensor.Dims))}";
                if (role == Role.Parameter) { parameters += ElementCount(tensor); tensors.Add(label); }
                else if (role == Role.Buffer) { buffers += ElementCount(tensor); bufferTensors.Add(label); }
            }
            if (bufferTensors.Count > 0) tensors.Add("buffers: " + string.Join(", ", bufferTensors));
            string outputShape = string.Join("; ", node.Output.Where(o => o.Length > 0).Select(o => shapes.TryGetValue(o, out var s) ? s : "?"));
            rows.Add(new ModelSummaryLayer(name, node.OpType, outputShape, parameters, buffers, string.Join(", ", tensors)));
        }
        return rows;
    }

    /// <summary>Each initializer with the role of the first input it feeds (initializers no node reads are constants).</summary>
    private static IEnumerable<(TensorProto Tensor, Role Role)> InitializerRoles(ModelProto model)
    {
        var firstUse = new Dictionary<string, Role>(StringComparer.Ordinal);
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var node in model.Graph.Node)
            for (int i = 0; i < node.Input.Count; i++)
                if (initializers.TryGetValue(node.Input[i], out var tensor) && !firstUse.ContainsKey(tensor.Name))
                    firstUse[tensor.Name] = ModelSummaryInitializerRoles.Of(tensor, node, i);
        return model.Graph.Initializer.Select(t => (t, firstUse.TryGetValue(t.Name, out var role) ? role : Role.Constant));
    }

    private static (long[] Shape, bool BatchIsSymbolic) ConcreteInputShape(string inputName,
        IReadOnlyList<TensorShapeProto.Types.Dimension>? declared, IReadOnlyList<long>? given)
    {
        bool batchIsSymbolic = declared is null || declared.Count == 0 || !declared[0].HasDimValue || declared[0].DimValue <= 0;
        if (given is not null)
        {
            var shape = given.ToList();
            if (declared is not null && shape.Count == declared.Count - 1) shape.Insert(0, 1);
            if (declared is not null && shape.Count != declared.Count)
                throw new OnnxFormatException($"input '{inputName}' has {declared.Count} dimensions; the given shape [{string.Join(",", given)}] has {given.Count}");
            if (shape.Count > 0 && shape[0] <= 0) shape[0] = 1;
            if (shape.Any(d => d <= 0))
                throw new OnnxFormatException($"input shape [{string.Join(",", given)}] for '{inputName}' must have positive dimensions (the batch may be 0 or -1)");
            return ([.. shape], batchIsSymbolic);
        }
        if (declared is null)
            throw new OnnxFormatException($"input '{inputName}' declares no shape; give the input shape (e.g. 1,3,224,224)");
        var dims = new long[declared.Count];
        for (int i = 0; i < declared.Count; i++)
        {
            if (declared[i].HasDimValue && declared[i].DimValue > 0) dims[i] = declared[i].DimValue;
            else if (i == 0) dims[i] = 1;
            else throw new OnnxFormatException($"input '{inputName}' has a dynamic dimension {i} ('{declared[i].DimParam}'); give the input shape (e.g. 1,3,224,224)");
        }
        return (dims, batchIsSymbolic);
    }

    // "layer1.0.conv1.weight" in node "layer1.0.conv1" reads "weight" (also for "_" as in "conv0_weight").
    private static string ShortName(string tensor, string node) =>
        tensor.Length > node.Length + 1 && tensor.StartsWith(node, StringComparison.Ordinal) && tensor[node.Length] is '.' or '_'
            ? tensor[(node.Length + 1)..]
            : tensor;

    private static string Thousands(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
