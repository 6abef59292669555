using MLPipelines.Onnx.Proto;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Interpretability;

/// <summary>
/// Grad-CAM (Selvaraju et al., 2017): where in the image the evidence for a class lies. The gradient of the class score with
/// respect to a convolutional layer's activations, averaged over space, weights that layer's channels; the ReLU of the weighted
/// sum is the map. It is computed on the last convolutional block by default (the tensor that feeds global pooling), which has
/// the best trade-off between semantics and resolution.
/// </summary>
public static class GradCam
{
    private static readonly string[] PoolingOps = ["GlobalAveragePool", "GlobalMaxPool", "AveragePool", "ReduceMean"];

    /// <summary>
    /// The last convolutional block of <paramref name="model"/>: the input of its last global pooling node, or, when there is
    /// none, the output of its last <c>Conv</c>.
    /// </summary>
    public static string DefaultLayer(ModelProto model)
    {
        var nodes = model.Graph.Node;
        for (int i = nodes.Count - 1; i >= 0; i--)
            if (PoolingOps.Contains(nodes[i].OpType))
                return nodes[i].Input[0];
        for (int i = nodes.Count - 1; i >= 0; i--)
            if (nodes[i].OpType == "Conv")
                return nodes[i].Output[0];
        throw new ArgumentException($"model '{model.Graph.Name}' has no convolution or pooling node; Grad-CAM needs a convolutional layer");
    }

    /// <summary>
    /// The Grad-CAM map of class <paramref name="classIndex"/> for 0–255 pixels [1,3,H,W], upsampled (bilinear) to the model's
    /// input size (after the centre crop) and scaled so that its maximum is 1.
    /// </summary>
    public static GradCamResult Compute(DifferentiableClassifier classifier, Tensor pixels, int classIndex, string layer)
    {
        if (pixels.shape[0] != 1) throw new ArgumentException("Grad-CAM takes one image at a time");
        using var scope = NewDisposeScope();
        using var input = pixels.detach().clone().requires_grad_(true);
        var (logits, activations) = classifier.LogitsAndActivations(input, layer);
        if (activations.dim() != 4)
            throw new ArgumentException($"layer '{layer}' has shape [{string.Join(",", activations.shape)}]; Grad-CAM needs a [N,C,H,W] convolutional activation");
        var score = logits[0, classIndex];
        var gradient = autograd.grad([score], [activations])[0];
        var weights = gradient.mean([2, 3], keepdim: true);
        var cam = nn.functional.relu((weights * activations).sum(1, keepdim: true)).detach();
        var preprocessing = classifier.Card.Preprocessing;
        var upsampled = nn.functional.interpolate(cam, [preprocessing.Height, preprocessing.Width], mode: InterpolationMode.Bilinear, align_corners: false);
        float max = upsampled.max().item<float>();
        var values = (max > 0 ? upsampled / max : upsampled).contiguous().data<float>().ToArray();
        var map = new float[preprocessing.Height, preprocessing.Width];
        Buffer.BlockCopy(values, 0, map, 0, values.Length * sizeof(float));
        float probability = nn.functional.softmax(logits.detach(), 1)[0, classIndex].item<float>();
        return new GradCamResult(map, classIndex, classifier.Classes[classIndex], probability, layer,
            ((int)activations.shape[2], (int)activations.shape[3]));
    }
}

/// <summary>A Grad-CAM map in model-input pixels (row-major [height, width], maximum 1) for one class.</summary>
/// <param name="Map">The map, upsampled to the model's input size.</param>
/// <param name="ClassIndex">Output index of the class.</param>
/// <param name="ClassName">Name of the class.</param>
/// <param name="Probability">The model's probability for the class.</param>
/// <param name="Layer">Graph tensor the map was computed on.</param>
/// <param name="LayerSize">Height and width of that layer's activations (the map's true resolution).</param>
public sealed record GradCamResult(float[,] Map, int ClassIndex, string ClassName, float Probability, string Layer, (int Height, int Width) LayerSize)
{
    /// <summary>Fraction of the map's total mass in columns [<paramref name="fromColumn"/>, <paramref name="toColumn"/>).</summary>
    public double MassInColumns(int fromColumn, int toColumn)
    {
        double inside = 0, total = 0;
        for (int y = 0; y < Map.GetLength(0); y++)
            for (int x = 0; x < Map.GetLength(1); x++)
            {
                total += Map[y, x];
                if (x >= fromColumn && x < toColumn) inside += Map[y, x];
            }
        return total > 0 ? inside / total : 0;
    }
}
