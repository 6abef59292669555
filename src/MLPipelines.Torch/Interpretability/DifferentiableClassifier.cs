using MLPipelines.Catalog;
using MLPipelines.Imaging;
using MLPipelines.Torch.Native;
using MLPipelines.Torch.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Torch.Interpretability;

/// <summary>
/// A pretrained classifier as a differentiable function of an image's pixels: values 0–255, RGB, at the size ML.NET loads the
/// image for this model (<see cref="PreprocessingSpec.LoadWidth"/>). The centre crop, the channel order and the per-channel
/// normalization happen here in TorchSharp, exactly as the stock ML.NET scoring pipeline does them in the ONNX graph, so a
/// gradient with respect to these pixels is a gradient with respect to the image that <c>classify</c> sees.
/// </summary>
public sealed class DifferentiableClassifier : IDisposable
{
    private readonly Tensor _mean, _std;
    private readonly string _output;
    private readonly bool _outputsProbabilities;

    private DifferentiableClassifier(ModelCard card, OnnxModule network, IReadOnlyList<string> classes)
    {
        Card = card;
        Network = network;
        Classes = classes;
        _output = card.ClassifierOutput.Name;
        _outputsProbabilities = card.ClassifierOutput.Kind == TensorKind.Probabilities;
        var preprocessing = card.Preprocessing;
        _mean = tensor(preprocessing.Mean, [1, 3, 1, 1]);
        _std = tensor(preprocessing.Std, [1, 3, 1, 1]);
        network.eval();
        foreach (var parameter in network.parameters())
            parameter.requires_grad = false;
    }

    /// <summary>The catalog entry (preprocessing, outputs) of the model.</summary>
    public ModelCard Card { get; }

    /// <summary>The ONNX network executed by TorchSharp, in eval mode with frozen weights.</summary>
    public OnnxModule Network { get; }

    /// <summary>Class name of every output index.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Width of the pixel tensors this classifier takes.</summary>
    public int PixelWidth => Card.Preprocessing.LoadWidth;

    /// <summary>Height of the pixel tensors this classifier takes.</summary>
    public int PixelHeight => Card.Preprocessing.LoadHeight;

    /// <summary>Loads the ONNX file of a catalog classifier; <paramref name="classes"/> names its outputs.</summary>
    public static DifferentiableClassifier Load(ModelCard card, string modelPath, IReadOnlyList<string> classes)
    {
        if (!card.HasClassifier)
            throw new CatalogException($"model '{card.Name}' has no class output; gradients need a classifier");
        TorchSharpRuntime.EnsureInitialized();
        return new DifferentiableClassifier(card, OnnxModule.Load(modelPath), classes);
    }

    /// <summary>An image file as a [1,3,H,W] tensor of 0–255 values, resized exactly as ML.NET's <c>ResizeImages</c> does.</summary>
    public Tensor LoadPixels(string imagePath) => FromImage(ImageTensor.Load(imagePath, PixelWidth, PixelHeight, Card.Preprocessing.Resize));

    /// <summary>An [0,1] image tensor of this classifier's pixel size as a [1,3,H,W] tensor of 0–255 values.</summary>
    public Tensor FromImage(ImageTensor image)
    {
        if (image.Width != PixelWidth || image.Height != PixelHeight)
            throw new ArgumentException($"the image is {image.Width}×{image.Height}; {Card.Name} takes {PixelWidth}×{PixelHeight} pixels");
        using var scaled = tensor(image.Data, [1, 3, image.Height, image.Width]);
        return (scaled * 255).round_();
    }

    /// <summary>A [1,3,H,W] tensor of 0–255 values as an image tensor (values rounded and clamped to whole pixel values).</summary>
    public static ImageTensor ToImage(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var values = pixels.detach().round().clamp(0, 255).div(255).contiguous().data<float>().ToArray();
        return new ImageTensor((int)pixels.shape[3], (int)pixels.shape[2], values);
    }

    /// <summary>Class scores (logits; log-probabilities for models that output probabilities) for 0–255 pixels [N,3,H,W].</summary>
    public Tensor Logits(Tensor pixels) => Scores(Network.Forward(Normalize(pixels), _output));

    /// <summary>Class scores and the activations of graph tensor <paramref name="layer"/>, from one forward pass.</summary>
    public (Tensor Logits, Tensor Activations) LogitsAndActivations(Tensor pixels, string layer)
    {
        var outputs = Network.Forward(Normalize(pixels), [_output, layer]);
        return (Scores(outputs[0]), outputs[1]);
    }

    /// <summary>Softmax probabilities for 0–255 pixels.</summary>
    public float[] Probabilities(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return nn.functional.softmax(Logits(pixels), 1)[0].data<float>().ToArray();
    }

    /// <summary>Index of the class called <paramref name="nameOrIndex"/> (a number, an exact name, or a unique name prefix).</summary>
    public int ClassIndex(string nameOrIndex)
    {
        if (int.TryParse(nameOrIndex, out int index))
            return index >= 0 && index < Classes.Count ? index
                : throw new ArgumentException($"class index {index} is out of range: {Card.Name} has {Classes.Count} classes");
        int exact = Classes.ToList().FindIndex(c => string.Equals(c, nameOrIndex, StringComparison.OrdinalIgnoreCase));
        if (exact >= 0) return exact;
        var matches = Classes.Select((c, i) => (c, i)).Where(x => x.c.StartsWith(nameOrIndex, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0].i,
            0 => throw new ArgumentException($"{Card.Name} has no class named '{nameOrIndex}'"),
            _ => throw new ArgumentException($"class '{nameOrIndex}' is ambiguous: {string.Join(", ", matches.Take(5).Select(m => m.c))}…"),
        };
    }

    private Tensor Normalize(Tensor pixels)
    {
        var preprocessing = Card.Preprocessing;
        var image = pixels;
        if (preprocessing.Crops)
        {
            // The same offsets as OnnxGraphEditor.PrependCenterCrop: (from - to) / 2, rounded down.
            int top = (preprocessing.LoadHeight - preprocessing.Height) / 2, left = (preprocessing.LoadWidth - preprocessing.Width) / 2;
            image = image.narrow(2, top, preprocessing.Height).narrow(3, left, preprocessing.Width);
        }
        if (preprocessing.ChannelOrder == ChannelOrder.Bgr)
            image = image.flip(1);
        return (image / 255 - _mean) / _std;
    }

    private Tensor Scores(Tensor output) =>
        _outputsProbabilities ? output.clamp_min(1e-12f).log() : output;

    /// <summary>Releases the network and its constant tensors.</summary>
    public void Dispose()
    {
        Network.Dispose();
        _mean.Dispose();
        _std.Dispose();
    }
}
