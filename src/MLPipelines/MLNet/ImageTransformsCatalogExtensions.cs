using Microsoft.ML;
using Microsoft.ML.Transforms.Image;
using MLPipelines.Catalog;
using MLPipelines.Imaging;

namespace MLPipelines;

/// <summary>
/// ML.NET catalog extensions for image preprocessing. They compose only stock ML.NET transforms, so every model.zip built
/// from them loads in an app that references nothing but Microsoft.ML, ImageAnalytics and OnnxTransformer.
/// </summary>
public static class ImageTransformsCatalogExtensions
{
    /// <summary>
    /// Loads the image at <paramref name="imagePathColumnName"/>, resizes it with a high-quality filter (ML.NET's IsoCrop or
    /// IsoPad; never Fill, which is nearest-neighbour) to the preprocessing's load size and extracts planar pixels scaled to
    /// [0,1] into <paramref name="outputColumnName"/>, in the channel order of <paramref name="preprocessing"/>. The centre crop
    /// (when <c>resize-to</c> is set) and normalization by mean/std happen in the ONNX graph that follows.
    /// </summary>
    public static IEstimator<ITransformer> LoadImagePixels(this TransformsCatalog transforms, PreprocessingSpec preprocessing,
        string outputColumnName = ColumnNames.Pixels, string imagePathColumnName = ColumnNames.ImagePath)
    {
        var resizing = preprocessing.Resize == ImageResizeKind.Pad
            ? ImageResizingEstimator.ResizingKind.IsoPad
            : ImageResizingEstimator.ResizingKind.IsoCrop;
        var order = preprocessing.ChannelOrder == ChannelOrder.Bgr
            ? ImagePixelExtractingEstimator.ColorsOrder.ABGR
            : ImagePixelExtractingEstimator.ColorsOrder.ARGB;
        return transforms.LoadImages(ColumnNames.Image, imageFolder: null, imagePathColumnName)
            .Append(transforms.ResizeImages(ColumnNames.ResizedImage, preprocessing.LoadWidth, preprocessing.LoadHeight, ColumnNames.Image,
                resizing, ImageResizingEstimator.Anchor.Center))
            .Append(transforms.ExtractPixels(outputColumnName, ColumnNames.ResizedImage,
                ImagePixelExtractingEstimator.ColorBits.Rgb, order, interleavePixelColors: false,
                offsetImage: 0f, scaleImage: ImageTensor.PixelScale, outputAsFloatArray: true));
    }

    /// <summary>
    /// <see cref="LoadImagePixels"/> followed by <c>ApplyOnnxModel</c> on a featurizer graph (input <c>Pixels</c>, output
    /// <c>Features</c>): image paths in, feature vectors out.
    /// </summary>
    public static IEstimator<ITransformer> FeaturizeImages(this TransformsCatalog transforms, Onnx.FeaturizerModel featurizer,
        string imagePathColumnName = ColumnNames.ImagePath)
    {
        return transforms.LoadImagePixels(featurizer.Preprocessing, ColumnNames.Pixels, imagePathColumnName)
            .Append(transforms.ApplyOnnxModel([ColumnNames.Features], [ColumnNames.Pixels], featurizer.Path));
    }
}
