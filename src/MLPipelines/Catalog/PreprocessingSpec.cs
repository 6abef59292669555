using MLPipelines.Imaging;

namespace MLPipelines.Catalog;

/// <summary>
/// How images are turned into a model's input tensor: resize to <see cref="ResizeTo"/> (or straight to <see cref="Size"/>),
/// centre-crop to <see cref="Size"/>, read channels in <see cref="ChannelOrder"/>, scale pixel values by 1/255, then normalize
/// each channel as (x - mean) / std. ML.NET does the resize; the crop and the normalization are nodes of the ONNX graph.
/// </summary>
public sealed class PreprocessingSpec
{
    /// <summary>Input width and height in pixels. Default 224×224.</summary>
    public int[] Size { get; set; } = [224, 224];

    /// <summary>
    /// Side the image is first resized to (shorter side, then a centre square) before the centre crop to <see cref="Size"/>,
    /// e.g. 256 for torchvision's ImageNet evaluation (Resize(256) + CenterCrop(224)). Default: none (resize straight to Size).
    /// </summary>
    public int? ResizeTo { get; set; }

    /// <summary>Resize geometry. Default <see cref="ImageResizeKind.CenterCrop"/>.</summary>
    public ImageResizeKind Resize { get; set; } = ImageResizeKind.CenterCrop;

    /// <summary>Channel order of the input tensor. Default RGB.</summary>
    public ChannelOrder ChannelOrder { get; set; } = ChannelOrder.Rgb;

    /// <summary>Per-channel mean of the [0,1]-scaled pixels, in <see cref="ChannelOrder"/>. Default: ImageNet's.</summary>
    public float[] Mean { get; set; } = [.. ImageNetMean];

    /// <summary>Per-channel standard deviation of the [0,1]-scaled pixels, in <see cref="ChannelOrder"/>. Default: ImageNet's.</summary>
    public float[] Std { get; set; } = [.. ImageNetStd];

    /// <summary>Input width.</summary>
    public int Width => Size[0];

    /// <summary>Input height.</summary>
    public int Height => Size.Length > 1 ? Size[1] : Size[0];

    /// <summary>Width ML.NET resizes images to (before the crop in the graph).</summary>
    public int LoadWidth => ResizeTo ?? Width;

    /// <summary>Height ML.NET resizes images to (before the crop in the graph).</summary>
    public int LoadHeight => ResizeTo ?? Height;

    /// <summary>True when the graph crops the loaded image.</summary>
    public bool Crops => ResizeTo is int side && (side != Width || side != Height);

    /// <summary>ImageNet channel means (RGB) as torchvision uses them.</summary>
    public static readonly IReadOnlyList<float> ImageNetMean = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet channel standard deviations (RGB) as torchvision uses them.</summary>
    public static readonly IReadOnlyList<float> ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>A copy with other normalization statistics (e.g. computed on a training split).</summary>
    public PreprocessingSpec WithStatistics(float[] mean, float[] std) => new()
    {
        Size = [.. Size], ResizeTo = ResizeTo, Resize = Resize, ChannelOrder = ChannelOrder, Mean = [.. mean], Std = [.. std],
    };

    /// <summary>A copy with another input size and no extra crop.</summary>
    public PreprocessingSpec WithSize(int width, int height) => new()
    {
        Size = [width, height], Resize = Resize, ChannelOrder = ChannelOrder, Mean = [.. Mean], Std = [.. Std],
    };

    /// <summary>A copy that resizes to <paramref name="side"/> first and centre-crops to <see cref="Size"/> (null: no crop).</summary>
    public PreprocessingSpec WithResizeTo(int? side) => new()
    {
        Size = [.. Size], ResizeTo = side, Resize = Resize, ChannelOrder = ChannelOrder, Mean = [.. Mean], Std = [.. Std],
    };

    /// <summary>A stable text that identifies the preprocessing, used in cache keys.</summary>
    public string Fingerprint =>
        FormattableString.Invariant($"{Width}x{Height}|{(ResizeTo is int side ? $"from{side}|" : "")}{Resize}|{ChannelOrder}|{string.Join(",", Mean.Select(v => v.ToString("R")))}|{string.Join(",", Std.Select(v => v.ToString("R")))}");

    /// <summary>Checks the values and throws a one-line error naming <paramref name="owner"/> when they are unusable.</summary>
    public void Validate(string owner)
    {
        if (Size.Length is < 1 or > 2 || Size.Any(s => s <= 0))
            throw new CatalogException($"{owner}: preprocessing size must be [width, height] with positive values");
        if (Mean.Length != 3 || Std.Length != 3)
            throw new CatalogException($"{owner}: preprocessing mean and std must have 3 values (one per channel)");
        if (Std.Any(s => !(s > 0)))
            throw new CatalogException($"{owner}: preprocessing std values must be positive");
        if (ResizeTo is int side && (side < Width || side < Height))
            throw new CatalogException($"{owner}: preprocessing resize-to ({side}) must be at least the input size ({Width}×{Height})");
    }
}

/// <summary>Channel order of a model's input tensor.</summary>
public enum ChannelOrder
{
    /// <summary>Red, green, blue (torchvision, most ONNX models).</summary>
    Rgb,

    /// <summary>Blue, green, red (Caffe-style models).</summary>
    Bgr,
}
