using MLPipelines.Catalog;
using MLPipelines.Onnx.Proto;
using static MLPipelines.Onnx.OnnxTensors;

namespace MLPipelines.Onnx;

/// <summary>
/// Builds the ONNX graph that turns pixels into features, in the form every MLPipelines pipeline uses:
/// input <c>Pixels</c> [N,3,H,W] scaled to [0,1], output <c>Features</c> [N,C]. Per-channel normalization is inside the graph,
/// so a saved model.zip runs in stock ML.NET.
/// </summary>
public static class FeaturizerGraph
{
    /// <summary>
    /// A backbone cut at <paramref name="featureTensor"/>, with the normalization of <paramref name="preprocessing"/> prepended
    /// and, when <paramref name="averageOverFlip"/> is set, features averaged over the image and its mirror image.
    /// </summary>
    public static ModelProto FromBackbone(ModelProto backbone, string imageInput, string featureTensor, PreprocessingSpec preprocessing,
        bool averageOverFlip, int featureSize)
    {
        var model = OnnxGraphEditor.SelectOutputs(backbone, [(featureTensor, ColumnNames.Features)]);
        model = OnnxGraphEditor.PrependNormalization(model, imageInput, preprocessing.Mean, preprocessing.Std, ColumnNames.Pixels);
        if (averageOverFlip)
            model = OnnxGraphEditor.AverageOverHorizontalFlip(model, imageInput, ColumnNames.Features, featureSize);
        if (preprocessing.Crops)
            model = OnnxGraphEditor.PrependCenterCrop(model, ColumnNames.Pixels, preprocessing.LoadWidth, preprocessing.LoadHeight,
                preprocessing.Width, preprocessing.Height);
        model = OnnxGraphEditor.WithDynamicBatch(model);
        OnnxGraphEditor.SetVectorOutputShape(model, ColumnNames.Features, featureSize);
        return model;
    }

    /// <summary>
    /// A graph with no learned weights: normalized pixels flattened into a vector of 3·H·W features (the from-scratch pixel
    /// baseline's input).
    /// </summary>
    public static ModelProto NormalizedPixels(PreprocessingSpec preprocessing)
    {
        var graph = new GraphProto { Name = "normalized_pixels" };
        graph.Input.Add(FloatValueInfo(ColumnNames.Pixels, "N", 3, preprocessing.Height, preprocessing.Width));
        graph.Initializer.Add(Float("mean", [1, 3, 1, 1], preprocessing.Mean));
        graph.Initializer.Add(Float("std", [1, 3, 1, 1], preprocessing.Std));
        graph.Node.Add(Node("Sub", "subtract_mean", [ColumnNames.Pixels, "mean"], ["centred"]));
        graph.Node.Add(Node("Div", "divide_std", ["centred", "std"], ["normalized"]));
        graph.Node.Add(Node("Flatten", "flatten", ["normalized"], [ColumnNames.Features], IntAttribute("axis", 1)));
        graph.Output.Add(FloatValueInfo(ColumnNames.Features, "N", 3 * preprocessing.Height * preprocessing.Width));
        var model = new ModelProto { IrVersion = 7, ProducerName = "MLPipelines", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model;
    }
}
