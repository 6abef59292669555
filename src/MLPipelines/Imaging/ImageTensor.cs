using MLPipelines.Catalog;
using SkiaSharp;

namespace MLPipelines.Imaging;

/// <summary>
/// An RGB image as planar floats in [0,1] (channel, row, column), the representation augmentations work on and that ONNX
/// featurizers take. <see cref="FromBitmap"/> produces exactly the values of ML.NET's <c>ExtractPixels(scaleImage: 1/255)</c>.
/// </summary>
public sealed class ImageTensor
{
    /// <summary>ML.NET's pixel scale; the same float constant gives bit-identical values.</summary>
    public const float PixelScale = 1f / 255f;

    /// <summary>An image of the given size holding <paramref name="data"/> (3·H·W values, planar RGB).</summary>
    public ImageTensor(int width, int height, float[] data)
    {
        if (data.Length != 3 * width * height)
            throw new ArgumentException($"an RGB image of {width}×{height} needs {3 * width * height} values, got {data.Length}");
        Width = width;
        Height = height;
        Data = data;
    }

    /// <summary>A black image.</summary>
    public ImageTensor(int width, int height) : this(width, height, new float[3 * width * height]) { }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Planar RGB values: R plane, then G, then B; row-major within a plane.</summary>
    public float[] Data { get; }

    /// <summary>Values per channel plane.</summary>
    public int PlaneSize => Width * Height;

    /// <summary>The value of channel <paramref name="c"/> at row <paramref name="y"/>, column <paramref name="x"/>.</summary>
    public float this[int c, int y, int x]
    {
        get => Data[c * PlaneSize + y * Width + x];
        set => Data[c * PlaneSize + y * Width + x] = value;
    }

    /// <summary>A deep copy.</summary>
    public ImageTensor Clone() => new(Width, Height, (float[])Data.Clone());

    /// <summary>Pixels of a decoded bitmap, as ML.NET extracts them (premultiplied colour, alpha dropped, scaled by 1/255).</summary>
    public static ImageTensor FromBitmap(SKBitmap bitmap)
    {
        var bytes = ImageDecoder.ToPlanarRgb(bitmap);
        var data = new float[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            data[i] = bytes[i] * PixelScale;
        return new ImageTensor(bitmap.Width, bitmap.Height, data);
    }

    /// <summary>Loads, resizes (as ML.NET's ResizeImages) and converts an image file.</summary>
    public static ImageTensor Load(string path, int width, int height, ImageResizeKind resize = ImageResizeKind.CenterCrop)
    {
        using var bitmap = ImageDecoder.LoadResized(path, width, height, resize);
        return FromBitmap(bitmap);
    }

    /// <summary>The values in a model's channel order (a copy when the order is BGR).</summary>
    public float[] ToModelInput(ChannelOrder order)
    {
        if (order == ChannelOrder.Rgb) return Data;
        var swapped = new float[Data.Length];
        Data.AsSpan(2 * PlaneSize, PlaneSize).CopyTo(swapped.AsSpan(0, PlaneSize));
        Data.AsSpan(PlaneSize, PlaneSize).CopyTo(swapped.AsSpan(PlaneSize, PlaneSize));
        Data.AsSpan(0, PlaneSize).CopyTo(swapped.AsSpan(2 * PlaneSize, PlaneSize));
        return swapped;
    }

    /// <summary>An 8-bit opaque bitmap of the image (values clamped to [0,1]), e.g. for previews and grids.</summary>
    public SKBitmap ToBitmap()
    {
        var bitmap = new SKBitmap(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var bytes = new byte[4 * PlaneSize];
        var span = bytes.AsSpan();
        for (int i = 0; i < PlaneSize; i++)
        {
            span[4 * i] = ToByte(Data[i]);
            span[4 * i + 1] = ToByte(Data[PlaneSize + i]);
            span[4 * i + 2] = ToByte(Data[2 * PlaneSize + i]);
            span[4 * i + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
        return bitmap;
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value * 255f), 0, 255);
}
