using MLPipelines.Catalog;
using MLPipelines.Onnx;

namespace MLPipelines.Pipelines;

/// <summary>
/// A model card for an ONNX file that is not in the catalog: input and feature output are read from the graph (first input,
/// first output), preprocessing defaults to ImageNet's at 224×224. Put a YAML card in <c>models/</c> for anything else.
/// </summary>
public static class OnnxFileCard
{
    /// <summary>The card and the full path of <paramref name="path"/>.</summary>
    public static (ModelCard Card, string Path) Create(string path)
    {
        string fullPath = System.IO.Path.GetFullPath(path);
        var model = OnnxModelFile.Load(fullPath);
        var input = OnnxGraphEditor.DataInputs(model).FirstOrDefault()
            ?? throw new OnnxFormatException($"{fullPath}: the graph has no input");
        var output = model.Graph.Output.First();
        long[] Shape(Onnx.Proto.ValueInfoProto info) =>
            info.Type?.TensorType?.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue : -1L).ToArray() ?? [];
        var card = new ModelCard
        {
            Name = System.IO.Path.GetFileNameWithoutExtension(fullPath),
            File = System.IO.Path.GetFileName(fullPath),
            Source = fullPath,
            Input = new TensorSpec { Name = input.Name, Shape = Shape(input) },
            Outputs = [new TensorSpec { Name = output.Name, Shape = Shape(output), Kind = TensorKind.Features }],
            Origin = fullPath,
        };
        var inputShape = card.Input.Shape;
        if (inputShape.Length == 4 && inputShape[2] > 0 && inputShape[3] > 0)
            card.Preprocessing = card.Preprocessing.WithSize((int)inputShape[3], (int)inputShape[2]);
        if (card.Outputs[0].Shape.Skip(1).Any(d => d <= 0))
            card.Outputs[0].Shape = ProbeOutputShape(fullPath, card);
        return (card, fullPath);
    }

    // Symbolic output sizes are resolved by running the graph once on a black image.
    private static long[] ProbeOutputShape(string path, ModelCard card)
    {
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
        var input = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>([1, 3, card.Preprocessing.Height, card.Preprocessing.Width]);
        using var results = session.Run([Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor(card.Input.Name, input)], [card.Outputs[0].Name]);
        return [-1, .. results[0].AsTensor<float>().Dimensions.ToArray().Skip(1).Select(d => (long)d)];
    }
}
