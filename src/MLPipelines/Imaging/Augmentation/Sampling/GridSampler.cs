namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// Geometric warps as torchvision computes them on tensors (<c>_apply_grid_transform</c>): each output pixel centre is mapped
/// to a source position and the source is read with <c>grid_sample(align_corners=False, padding_mode="zeros")</c>. Pixel
/// centres sit at integer + 0.5. With a fill value, torchvision also samples a mask of ones and returns
/// <c>sample · mask + (1 − mask) · fill</c>; this is reproduced, including its slight darkening of bilinear border pixels.
/// </summary>
public static class GridSampler
{
    /// <summary>
    /// Warps with the affine map (output pixel centre → source position)
    /// <c>sx = m[0]·x + m[1]·y + m[2], sy = m[3]·x + m[4]·y + m[5]</c>, in pixel units.
    /// </summary>
    public static ImageTensor Affine(ImageTensor source, ImageSize output, ReadOnlySpan<double> m, Interpolation interpolation, float? fill)
    {
        if (m.Length != 6) throw new ArgumentException($"an affine map has 6 coefficients, got {m.Length}");
        return Warp(source, output, new AffineMap(m[0], m[1], m[2], m[3], m[4], m[5]), interpolation, fill);
    }

    /// <summary>
    /// Warps with the homography (output → source) <c>sx = (c0·x + c1·y + c2) / (c6·x + c7·y + 1)</c>,
    /// <c>sy = (c3·x + c4·y + c5) / (c6·x + c7·y + 1)</c>, as torchvision's <c>_perspective_grid</c>.
    /// </summary>
    public static ImageTensor Perspective(ImageTensor source, ReadOnlySpan<double> c, Interpolation interpolation, float? fill)
    {
        if (c.Length != 8) throw new ArgumentException($"a perspective map has 8 coefficients, got {c.Length}");
        return Warp(source, ImageSize.Of(source), new PerspectiveMap(c.ToArray()), interpolation, fill);
    }

    private interface IPointMap
    {
        (double X, double Y) Map(double x, double y);
    }

    private readonly record struct AffineMap(double M0, double M1, double M2, double M3, double M4, double M5) : IPointMap
    {
        public (double X, double Y) Map(double x, double y) => (M0 * x + M1 * y + M2, M3 * x + M4 * y + M5);
    }

    private readonly record struct PerspectiveMap(double[] C) : IPointMap
    {
        public (double X, double Y) Map(double x, double y)
        {
            double w = C[6] * x + C[7] * y + 1;
            return ((C[0] * x + C[1] * y + C[2]) / w, (C[3] * x + C[4] * y + C[5]) / w);
        }
    }

    // Generic over a struct so the per-pixel map is inlined rather than called through a delegate.
    private static ImageTensor Warp<TMap>(ImageTensor source, ImageSize output, TMap map, Interpolation interpolation, float? fill)
        where TMap : struct, IPointMap
    {
        var result = new ImageTensor(output.Width, output.Height);
        int outPlane = result.PlaneSize, inPlane = source.PlaneSize, w = source.Width, h = source.Height;
        float outside = fill ?? 0f;
        bool blendFill = fill.HasValue;
        var src = source.Data.AsSpan();
        var dst = result.Data.AsSpan();
        for (int y = 0; y < output.Height; y++)
            for (int x = 0; x < output.Width; x++)
            {
                var (sx, sy) = map.Map(x + 0.5, y + 0.5);
                // grid_sample's unnormalized coordinate: pixel centres at integers.
                float u = (float)(sx - 0.5), v = (float)(sy - 0.5);
                int o = y * output.Width + x;
                if (interpolation == Interpolation.Nearest)
                {
                    int xi = (int)MathF.Round(u), yi = (int)MathF.Round(v);
                    if (xi >= 0 && yi >= 0 && xi < w && yi < h)
                    {
                        int p = yi * w + xi;
                        dst[o] = src[p];
                        dst[outPlane + o] = src[inPlane + p];
                        dst[2 * outPlane + o] = src[2 * inPlane + p];
                    }
                    else
                    {
                        dst[o] = dst[outPlane + o] = dst[2 * outPlane + o] = outside;
                    }
                    continue;
                }
                float fu = MathF.Floor(u), fv = MathF.Floor(v);
                float fx = u - fu, fy = v - fv;
                if (fu < -1 || fv < -1 || fu >= w || fv >= h)
                {
                    // All four neighbours outside: the zero-padded sample and the mask are 0.
                    dst[o] = dst[outPlane + o] = dst[2 * outPlane + o] = outside;
                    continue;
                }
                int x0 = (int)fu, y0 = (int)fv;
                float w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
                if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h)
                {
                    // Common case: all four neighbours inside, mask 1.
                    for (int c = 0, p = y0 * w + x0; c < 3; c++, p += inPlane)
                        dst[c * outPlane + o] = w00 * src[p] + w10 * src[p + 1] + w01 * src[p + w] + w11 * src[p + w + 1];
                    continue;
                }
                bool in0x = x0 >= 0, in1x = x0 + 1 < w, in0y = y0 >= 0, in1y = y0 + 1 < h;
                if (!(in0x && in0y)) w00 = 0;
                if (!(in1x && in0y)) w10 = 0;
                if (!(in0x && in1y)) w01 = 0;
                if (!(in1x && in1y)) w11 = 0;
                float mask = w00 + w10 + w01 + w11;
                for (int c = 0; c < 3; c++)
                {
                    int p = c * inPlane + y0 * w + x0;
                    float value = 0;
                    if (w00 != 0) value += w00 * src[p];
                    if (w10 != 0) value += w10 * src[p + 1];
                    if (w01 != 0) value += w01 * src[p + w];
                    if (w11 != 0) value += w11 * src[p + w + 1];
                    dst[c * outPlane + o] = blendFill ? value * mask + (1 - mask) * outside : value;
                }
            }
        return result;
    }
}
