using MLPipelines.Catalog;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;
using static MLPipelines.Onnx.OnnxTensors;

namespace MLPipelines.Scoring;

/// <summary>
/// Builds the ONNX graph that scores images with a catalog classifier: input <c>Pixels</c> [N,3,H,W] scaled to [0,1] →
/// <c>Logits</c> [N,K], with the model's centre crop and per-channel normalization prepended. Models that output probabilities
/// get a <c>Log</c> node, so that the softmax of ML.NET's prediction head (<see cref="Training.LogitsPredictionHead"/>) gives
/// them back unchanged.
/// </summary>
public static class ClassifierGraph
{
    private const string FormatVersion = "classifier-v2";

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
        bool probabilities = output.Kind == TensorKind.Probabilities;
        model = OnnxGraphEditor.SelectOutputs(model, [(output.Name, probabilities ? "probabilities" : ColumnNames.Logits)]);
        if (probabilities)
        {
            model.Graph.Node.Add(Node("Log", "log_probabilities", ["probabilities"], [ColumnNames.Logits]));
            model.Graph.Output[0].Name = ColumnNames.Logits;
        }
        var preprocessing = card.Preprocessing;
        model = OnnxGraphEditor.PrependNormalization(model, card.Input.Name, preprocessing.Mean, preprocessing.Std, ColumnNames.Pixels);
        if (preprocessing.Crops)
            model = OnnxGraphEditor.PrependCenterCrop(model, ColumnNames.Pixels, preprocessing.LoadWidth, preprocessing.LoadHeight,
                preprocessing.Width, preprocessing.Height);
        model = OnnxGraphEditor.WithDynamicBatch(model);
        OnnxGraphEditor.SetVectorOutputShape(model, ColumnNames.Logits, output.ValuesPerExample);
        OnnxModelFile.Save(model, path);
        return path;
    }
}
