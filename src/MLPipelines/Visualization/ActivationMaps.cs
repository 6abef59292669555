using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLPipelines.Catalog;
using MLPipelines.Imaging;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Proto;
using MLPipelines.Reports.Plots;

namespace MLPipelines.Visualization;

/// <summary>
/// The first channels of the first convolution's output for one image, before and after its activation, computed with ONNX
/// Runtime on the graph cut at those two tensors (with the model's own preprocessing).
/// </summary>
public sealed class ActivationMaps
{
    private ActivationMaps(FirstConvolution convolution, IReadOnlyList<float[,]> before, IReadOnlyList<float[,]>? after)
    {
        Convolution = convolution;
        Before = before;
        After = after;
    }

    public FirstConvolution Convolution { get; }

    /// <summary>Channel maps [row, column] of the convolution's output.</summary>
    public IReadOnlyList<float[,]> Before { get; }

    /// <summary>The same channels after the activation (null when no activation follows the convolution directly).</summary>
    public IReadOnlyList<float[,]>? After { get; }

    /// <summary>Runs the model on <paramref name="imagePath"/> and keeps the first <paramref name="channels"/> channels.</summary>
    public static ActivationMaps Compute(ModelProto model, ModelCard card, string imagePath, int channels = 16)
    {
        var convolution = FirstConvolution.Find(model);
        var outputs = new List<(string, string)> { (convolution.Output, "before") };
        if (convolution.Activation is not null) outputs.Add((convolution.Activation, "after"));
        var graph = OnnxGraphEditor.SelectOutputs(model, outputs);
        var p = card.Preprocessing;
        graph = OnnxGraphEditor.PrependNormalization(graph, card.Input.Name, p.Mean, p.Std, ColumnNames.Pixels);
        if (p.Crops)
            graph = OnnxGraphEditor.PrependCenterCrop(graph, ColumnNames.Pixels, p.LoadWidth, p.LoadHeight, p.Width, p.Height);

        var image = ImageTensor.Load(imagePath, p.LoadWidth, p.LoadHeight, p.Resize);
        var input = new DenseTensor<float>(image.ToModelInput(p.ChannelOrder), [1, 3, p.LoadHeight, p.LoadWidth]);
        using var session = new InferenceSession(OnnxModelFile.ToBytes(graph));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(ColumnNames.Pixels, input)]);
        IReadOnlyList<float[,]> Maps(string name) => Split(results.First(r => r.Name == name).AsTensor<float>(), channels);
        return new ActivationMaps(convolution, Maps("before"), convolution.Activation is null ? null : Maps("after"));
    }

    private static IReadOnlyList<float[,]> Split(Tensor<float> tensor, int channels)
    {
        int c = Math.Min(channels, tensor.Dimensions[1]), h = tensor.Dimensions[2], w = tensor.Dimensions[3];
        var maps = new List<float[,]>(c);
        for (int k = 0; k < c; k++)
        {
            var map = new float[h, w];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    map[y, x] = tensor[0, k, y, x];
            maps.Add(map);
        }
        return maps;
    }

    /// <summary>The value range shared by both pictures, so "before" and "after" read on one colour scale.</summary>
    public (double Min, double Max) SharedRange()
    {
        var all = Before.Concat(After ?? []).SelectMany(m => m.Cast<float>()).ToArray();
        return (all.Min(), all.Max());
    }

    /// <summary>
    /// Writes the maps as one heatmap: a 4-wide mosaic of channels separated by grey lines, one colour bar, on
    /// <see cref="SharedRange"/>. Returns false when there is nothing to draw (no activation for <paramref name="afterActivation"/>).
    /// </summary>
    public bool Save(string pngPath, bool afterActivation, int columns = 4)
    {
        var maps = afterActivation ? After : Before;
        if (maps is null || maps.Count == 0) return false;
        int h = maps[0].GetLength(0), w = maps[0].GetLength(1);
        int rows = (maps.Count + columns - 1) / columns;
        var mosaic = new double[rows * (h + 1) - 1][];
        for (int r = 0; r < mosaic.Length; r++)
            mosaic[r] = Enumerable.Repeat(double.NaN, columns * (w + 1) - 1).ToArray();
        for (int k = 0; k < maps.Count; k++)
        {
            int top = k / columns * (h + 1), left = k % columns * (w + 1);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    mosaic[top + y][left + x] = maps[k][y, x];
        }
        var (min, max) = SharedRange();
        string what = afterActivation ? $"after {Convolution.ActivationOp}" : "before the activation";
        var chart = new HeatmapChart(mosaic)
        {
            Title = $"First {maps.Count} channels of '{Convolution.Node.Name}' {what}",
            RowLabels = Enumerable.Repeat("", mosaic.Length).ToArray(),
            ColumnLabels = Enumerable.Repeat("", mosaic[0].Length).ToArray(),
            ValueRange = new AxisRange(min, max),
            Colormap = HeatmapColormap.Viridis,
            ColorBarLabel = "activation",
        };
        PlotRenderer.Save(chart, pngPath, 760, 700);
        return true;
    }
}
