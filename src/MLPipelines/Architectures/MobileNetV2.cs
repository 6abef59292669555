using MLPipelines.Onnx.Proto;

namespace MLPipelines.Architectures;

/// <summary>
/// MobileNetV2 (Sandler et al., 2018) in torchvision's layout, parameter names and initialization:
/// features.0 = conv 3×3/2 + BN + ReLU6, then inverted residual blocks (t, c, n, s) = (1,16,1,1), (6,24,2,2), (6,32,3,2),
/// (6,64,4,2), (6,96,3,1), (6,160,3,2), (6,320,1,1) — each a 1×1 expansion (skipped when t = 1), a 3×3 depthwise conv and
/// a linear 1×1 projection, with a residual add when the stride is 1 and the channels match — then a 1×1 conv to
/// 1280·max(1, width) channels, global average pool, dropout 0.2 and a Linear classifier. ReLU6 is <c>Clip(0, 6)</c>.
/// Channels are scaled by the width and rounded to multiples of 8 (torchvision's <c>_make_divisible</c>). Convolutions
/// start Kaiming-normal fan_out, BN weight 1 and bias 0, the classifier Normal(0, 0.01) with zero bias. With 1000 classes
/// and width 1.0: 3,504,872 parameters, torchvision's count.
/// </summary>
public static class MobileNetV2
{
    private static readonly (int Expansion, int Channels, int Repeats, int Stride)[] InvertedResidualSettings =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    private const int RoundNearest = 8;

    /// <summary>Builds MobileNetV2 with <paramref name="options"/> (defaults: 1000 classes, width 1.0, 224×224).</summary>
    public static ModelProto Build(MobileNetV2Options? options = null)
    {
        options ??= new MobileNetV2Options();
        const string architecture = "mobilenetv2";
        var (g, x) = ClassifierGraph.Start(architecture, options);
        var convInit = WeightInit.KaimingNormal(FanMode.FanOut);
        int inputChannels = MakeDivisible(32 * options.Width);
        int lastChannels = MakeDivisible(1280 * Math.Max(1.0, options.Width));

        using (g.Scope("features"))
        {
            int index = 0;
            using (g.Scope((index++).ToString()))
                x = ConvBnRelu6(g, x, inputChannels, kernel: 3, stride: 2, groups: 1, convInit);
            foreach (var (expansion, channels, repeats, stride) in InvertedResidualSettings)
            {
                int outputChannels = MakeDivisible(channels * options.Width);
                for (int i = 0; i < repeats; i++)
                {
                    using var block = g.Scope((index++).ToString());
                    x = InvertedResidual(g, x, outputChannels, i == 0 ? stride : 1, expansion, convInit);
                }
            }
            using (g.Scope(index.ToString()))
                x = ConvBnRelu6(g, x, lastChannels, kernel: 1, stride: 1, groups: 1, convInit);
        }
        x = g.GlobalAveragePool(x, "avgpool");
        var features = g.Flatten(x, "flatten", output: ClassifierTensors.Features);
        GraphTensor logits;
        using (g.Scope("classifier"))
        {
            var dropped = g.Dropout(features, options.Dropout, "0");
            logits = g.Linear(dropped, options.Classes, weightInit: WeightInit.Normal(0.01), biasInit: WeightInit.Zeros, name: "1",
                output: ClassifierTensors.Logits);
        }
        return ClassifierGraph.Finish(g, logits, features, architecture, options,
            $"MobileNetV2 width {options.Width} (torchvision layout) for {options.Classes} classes, fresh weights from seed {options.Seed}");
    }

    /// <summary>
    /// torchvision's <c>_make_divisible</c>: the nearest multiple of 8 to <paramref name="value"/>, at least 8, and never more
    /// than 10% below it.
    /// </summary>
    public static int MakeDivisible(double value)
    {
        int rounded = Math.Max(RoundNearest, (int)(value + RoundNearest / 2.0) / RoundNearest * RoundNearest);
        return rounded < 0.9 * value ? rounded + RoundNearest : rounded;
    }

    private static GraphTensor InvertedResidual(GraphBuilder g, GraphTensor x, int outputChannels, int stride, int expansion, WeightInit convInit)
    {
        int hidden = (int)Math.Round(x.Channels * (double)expansion);
        bool residual = stride == 1 && x.Channels == outputChannels;
        var y = x;
        using (g.Scope("conv"))
        {
            int layer = 0;
            if (expansion != 1)
                using (g.Scope((layer++).ToString()))
                    y = ConvBnRelu6(g, y, hidden, kernel: 1, stride: 1, groups: 1, convInit);
            using (g.Scope((layer++).ToString()))
                y = ConvBnRelu6(g, y, hidden, kernel: 3, stride: stride, groups: hidden, convInit);
            y = g.Conv2d(y, outputChannels, kernel: 1, bias: false, weightInit: convInit, name: (layer++).ToString());
            y = g.BatchNorm2d(y, layer.ToString());
        }
        return residual ? g.Add(x, y, "add") : y;
    }

    /// <summary>torchvision's Conv2dNormActivation with ReLU6: modules 0 (conv, no bias), 1 (BN) and 2 (ReLU6).</summary>
    private static GraphTensor ConvBnRelu6(GraphBuilder g, GraphTensor x, int channels, int kernel, int stride, int groups, WeightInit convInit)
    {
        x = g.Conv2d(x, channels, kernel, stride, padding: (kernel - 1) / 2, groups: groups, bias: false, weightInit: convInit, name: "0");
        x = g.BatchNorm2d(x, "1");
        return g.Relu6(x, "2");
    }
}
