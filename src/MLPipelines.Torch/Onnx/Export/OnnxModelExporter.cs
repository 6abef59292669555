using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;
using MLPipelines.Torch.Onnx.Execution;
using MLPipelines.Torch.Onnx.Surgery;
using static MLPipelines.Onnx.OnnxTensors;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Onnx.Export;

/// <summary>
/// Writes an <see cref="OnnxModule"/>'s graph back to ONNX: current parameter and running-statistic values, eval semantics
/// (no Dropout), the export opset's node forms, one output under the logits name (plus an optional softmax), optional
/// per-channel input normalization in the graph, and a symbolic batch dimension.
/// </summary>
internal static class OnnxModelExporter
{
    public const long MinimumOpset = 13, MaximumOpset = 21;

    /// <param name="graph">The module's graph (initializer values may be stale; <paramref name="currentValue"/> has the live ones).</param>
    /// <param name="currentValue">The current tensor of a trained parameter or buffer, or null for constants.</param>
    /// <param name="inputName">The module's data input.</param>
    /// <param name="outputName">The module's output.</param>
    /// <param name="outputShape">The output's shape without the batch, when known.</param>
    /// <param name="options">Export options.</param>
    public static ModelProto Export(ModelProto graph, Func<string, Tensor?> currentValue, string inputName, string outputName,
        long[]? outputShape, OnnxExportOptions options)
    {
        Validate(options);
        long sourceOpset = OnnxModelFile.DefaultOpset(graph);
        var model = OnnxGraphEditor.SelectOutputs(graph, [(outputName, outputName)]);
        foreach (var (tensor, index) in model.Graph.Initializer.Select((t, i) => (t, i)).ToList())
            if (currentValue(tensor.Name) is { } value)
                model.Graph.Initializer[index] = OnnxTensorConverter.ToOnnx(tensor.Name, value);
        OpsetRewriter.Rewrite(model, sourceOpset);

        string logits = options.LogitsName;
        if (logits != outputName)
        {
            if (OnnxGraphEditor.TensorNames(model).Contains(logits))
                throw new OnnxFormatException($"cannot export output '{outputName}' as '{logits}': the graph already has a tensor with that name");
            GraphRenaming.RenameTensor(model, outputName, logits);
        }
        if (options.Mean is not null)
        {
            // The network's input becomes an inner tensor fed by (x·scale − mean) / std, i.e. (x − mean/scale) / (std/scale).
            string inner = inputName == options.InputName ? $"{inputName}_normalized" : inputName;
            if (inner != inputName) GraphRenaming.RenameTensor(model, inputName, inner);
            model = OnnxGraphEditor.PrependNormalization(model, inner,
                options.Mean.Select(m => m / options.Scale).ToArray(), options.Std!.Select(s => s / options.Scale).ToArray(), options.InputName);
        }
        else if (options.InputName != inputName)
        {
            if (OnnxGraphEditor.TensorNames(model).Contains(options.InputName))
                throw new OnnxFormatException($"cannot export input '{inputName}' as '{options.InputName}': the graph already has a tensor with that name");
            GraphRenaming.RenameTensor(model, inputName, options.InputName);
        }

        var output = model.Graph.Output[0];
        if (outputShape is not null)
            output.Type = FloatValueInfo(logits, [null, .. outputShape.Select(d => (object?)d)]).Type;
        if (options.ProbabilitiesName is { } probabilities)
        {
            if (OnnxGraphEditor.TensorNames(model).Contains(probabilities))
                throw new OnnxFormatException($"cannot add output '{probabilities}': the graph already has a tensor with that name");
            model.Graph.Node.Add(Node("Softmax", $"{probabilities}_softmax", [logits], [probabilities], IntAttribute("axis", 1)));
            var info = output.Clone();
            info.Name = probabilities;
            model.Graph.Output.Add(info);
        }
        model = OnnxGraphEditor.WithDynamicBatch(model);
        model.Graph.ValueInfo.Clear(); // stale shapes of a retrained or cut graph; ONNX Runtime infers them
        var defaultDomain = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").ToList();
        foreach (var import in defaultDomain) model.OpsetImport.Remove(import);
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        model.IrVersion = Math.Max(model.IrVersion, 7);
        model.ProducerName = "MLPipelines.Torch";
        return model;
    }

    private static void Validate(OnnxExportOptions options)
    {
        if (options.Opset is < MinimumOpset or > MaximumOpset)
            throw new ArgumentException($"export opset {options.Opset} is not supported; use {MinimumOpset} to {MaximumOpset}");
        if (string.IsNullOrEmpty(options.InputName) || string.IsNullOrEmpty(options.LogitsName))
            throw new ArgumentException("the exported input and logits names must not be empty");
        if ((options.Mean is null) != (options.Std is null) || (options.Mean is not null && options.Mean.Count != options.Std!.Count))
            throw new ArgumentException("Mean and Std must both be set, with one value per channel");
        if (options.Std?.Any(s => s <= 0) ?? false)
            throw new ArgumentException("Std values must be positive");
        if (options.Scale <= 0)
            throw new ArgumentException("Scale must be positive");
        if (options.ProbabilitiesName == options.LogitsName)
            throw new ArgumentException("ProbabilitiesName must differ from LogitsName");
    }
}
