using System.Numerics;
using System.Runtime.InteropServices;
using MLPipelines.Imaging;

namespace MLPipelines.Torch.Training;

/// <summary>
/// One image of a <see cref="CompactImageList"/>, kept as 8-bit planar RGB (3·H·W bytes) whenever that is lossless, else as
/// the float tensor it came as. Decoded files always qualify: <see cref="ImageTensor.FromBitmap"/> gives exactly
/// <c>byte * PixelScale</c>, so the bytes hold every value in a quarter of the memory (a 224×224 image takes 147 KB instead
/// of 602 KB) and <see cref="Read"/> rebuilds bit-identical floats. Immutable, so any number of threads may read it at once.
/// </summary>
internal sealed class StoredImage
{
    // Byte value → float, computed as FromBitmap computes it (byte * PixelScale), so a lookup is bit-identical.
    private static readonly float[] Scaled = [.. Enumerable.Range(0, 256).Select(b => (byte)b * ImageTensor.PixelScale)];

    private readonly byte[]? _bytes;
    private readonly float[]? _floats;

    private StoredImage(int width, int height, byte[]? bytes, float[]? floats)
    {
        Width = width;
        Height = height;
        _bytes = bytes;
        _floats = floats;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Whether the image is held as bytes (else as floats).</summary>
    public bool IsCompact => _bytes is not null;

    /// <summary>Bytes of <paramref name="width"/>×<paramref name="height"/> planar RGB (as <see cref="ImageDecoder.ToPlanarRgb"/> gives them), kept without a copy.</summary>
    public static StoredImage FromBytes(int width, int height, byte[] planarRgb) =>
        planarRgb.Length == 3 * width * height ? new(width, height, planarRgb, null)
            : throw new ArgumentException($"an RGB image of {width}×{height} needs {3 * width * height} bytes, got {planarRgb.Length}");

    /// <summary>
    /// <paramref name="image"/> as bytes when every value is bit for bit <c>k * PixelScale</c> for an integer k in 0..255, else
    /// its float array itself (not copied: the caller hands the tensor over and must not change it afterwards). Bits are
    /// compared rather than floats so that -0f, which equals 0f, stays a float and is read back as -0f.
    /// </summary>
    public static StoredImage Of(ImageTensor image)
    {
        var values = image.Data;
        var bytes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            float k = MathF.Round(v * 255f);
            // NaN fails both comparisons, so it stays a float too.
            if (!(k >= 0f && k <= 255f) || BitConverter.SingleToInt32Bits(Scaled[(int)k]) != BitConverter.SingleToInt32Bits(v))
                return new(image.Width, image.Height, null, values);
            bytes[i] = (byte)k;
        }
        return new(image.Width, image.Height, bytes, null);
    }

    /// <summary>A new tensor of the image's values, owned by the caller.</summary>
    public ImageTensor Read()
    {
        if (_floats is not null) return new ImageTensor(Width, Height, (float[])_floats.Clone());
        var bytes = _bytes!;
        var data = GC.AllocateUninitializedArray<float>(bytes.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated && bytes.Length >= Vector<byte>.Count)
        {
            // Widen byte → ushort → uint (read as int) → float, exact, and multiply by the same float scale: the same IEEE product in every lane.
            var scale = new Vector<float>(ImageTensor.PixelScale);
            var output = MemoryMarshal.Cast<float, Vector<float>>(data.AsSpan());
            for (int v = 0; i <= bytes.Length - Vector<byte>.Count; i += Vector<byte>.Count, v += 4)
            {
                Vector.Widen(new Vector<byte>(bytes, i), out var low, out var high);
                Vector.Widen(low, out var a, out var b);
                Vector.Widen(high, out var c, out var d);
                output[v] = Vector.ConvertToSingle(Vector.AsVectorInt32(a)) * scale;
                output[v + 1] = Vector.ConvertToSingle(Vector.AsVectorInt32(b)) * scale;
                output[v + 2] = Vector.ConvertToSingle(Vector.AsVectorInt32(c)) * scale;
                output[v + 3] = Vector.ConvertToSingle(Vector.AsVectorInt32(d)) * scale;
            }
        }
        for (; i < bytes.Length; i++) data[i] = Scaled[bytes[i]];
        return new ImageTensor(Width, Height, data);
    }

    /// <summary>
    /// Adds each channel's values and squared values (as doubles, in plane order) to <paramref name="sum"/> and
    /// <paramref name="squares"/>, without building a tensor.
    /// </summary>
    public void Accumulate(double[] sum, double[] squares)
    {
        int plane = Width * Height;
        for (int c = 0; c < 3; c++)
        {
            double s = sum[c], q = squares[c];
            if (_bytes is not null)
                foreach (byte b in _bytes.AsSpan(c * plane, plane))
                {
                    double v = Scaled[b];
                    s += v;
                    q += v * v;
                }
            else
                foreach (float f in _floats.AsSpan(c * plane, plane))
                {
                    s += f;
                    q += (double)f * f;
                }
            sum[c] = s;
            squares[c] = q;
        }
    }
}
