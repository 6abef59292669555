using MLPipelines.Catalog;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;
using static MLPipelines.Onnx.OnnxTensors;

namespace MLPipelines.Scoring;

/// <summary>
/// Builds the ONNX graph that scores images with a catalog classifier, in the form ML.NET can run as is:
/// input <c>Pixels</c> [N,3,H,W] scaled to [0,1] → <c>Score</c> [N,K] probabilities (softmax appended when the model gives
/// logits) and <c>PredictedIndex</c> [N] (int64 arg-max), with the model's per-channel normalization prepended.
/// </summary>
public static class ClassifierGraph
{
    /// <summary>Name of the arg-max output.</summary>
    public const string PredictedIndex = "PredictedIndex";

    private const string FormatVersion = "classifier-v1";

    /// <summary>The graph for <paramref name="card"/>; built once and kept under <paramref name="cacheRoot"/>/classifiers.</summary>
    public static string Build(ModelCard card, string modelPath, string cacheRoot)
    {
        var output = card.ClassifierOutput;
        string key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join("\n", FormatVersion, string.IsNullOrEmpty(card.Sha256) ? FileChecksums.Compute(modelPath) : card.Sha256,
                output.Name, output.Kind, card.Preprocessing.Fingerprint))));
        string path = Path.Combine(cacheRoot, "classifiers", $"{card.Name}-{key[..16]}.onnx");
        if (File.Exists(path)) return path;

        var model = OnnxModelFile.Load(modelPath);
        string scores = output.Kind == TensorKind.Logits ? "logits_for_softmax" : ColumnNames.Score;
        model = OnnxGraphEditor.SelectOutputs(model, [(output.Name, scores)]);
        if (output.Kind == TensorKind.Logits)
            model = OnnxGraphEditor.AppendSoftmax(model, scores, ColumnNames.Score);
        var preprocessing = card.Preprocessing;
        model = OnnxGraphEditor.PrependNormalization(model, card.Input.Name, preprocessing.Mean, preprocessing.Std, ColumnNames.Pixels);
        if (preprocessing.Crops)
            model = OnnxGraphEditor.PrependCenterCrop(model, ColumnNames.Pixels, preprocessing.LoadWidth, preprocessing.LoadHeight,
                preprocessing.Width, preprocessing.Height);
        model.Graph.Node.Add(Node("ArgMax", "predicted_index", [ColumnNames.Score], [PredictedIndex], IntAttribute("axis", 1), IntAttribute("keepdims", 0)));
        var index = new ValueInfoProto
        {
            Name = PredictedIndex,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Int64 } },
        };
        index.Type.TensorType.Shape = new TensorShapeProto();
        index.Type.TensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        model.Graph.Output.Add(index);
        model = OnnxGraphEditor.WithDynamicBatch(model);
        OnnxGraphEditor.SetVectorOutputShape(model, ColumnNames.Score, output.ValuesPerExample);
        OnnxModelFile.Save(model, path);
        return path;
    }
}
