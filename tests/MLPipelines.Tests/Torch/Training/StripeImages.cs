using MLPipelines.Torch.Training;
using SkiaSharp;

namespace MLPipelines.Tests.Torch.Training;

/// <summary>
/// Three classes of small PNGs made in the test: horizontal stripes, vertical stripes and a checkerboard, each with a random
/// stripe width, phase and colours, so a tiny CNN can learn them in a few epochs but not from the mean colour alone.
/// </summary>
internal static class StripeImages
{
    public const int Classes = 3;

    public static DecodedImageSet Create(TemporaryFolder folder, string name, int perClass, int seed, int size = 24)
    {
        var random = new Random(seed);
        var paths = new List<string>();
        var labels = new List<int>();
        for (int c = 0; c < Classes; c++)
            for (int i = 0; i < perClass; i++)
            {
                int width = random.Next(3, 7), phase = random.Next(0, 6);
                var a = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                var b = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                int kind = c;
                paths.Add(TestImages.WritePng(folder.File(name, $"{c}-{i}.png"), size, size, (x, y) =>
                {
                    int u = (x + phase) / width, v = (y + phase) / width;
                    bool on = kind switch { 0 => v % 2 == 0, 1 => u % 2 == 0, _ => (u + v) % 2 == 0 };
                    return on ? a : b;
                }));
                labels.Add(c);
            }
        return DecodedImageSet.Decode(paths, labels, size);
    }
}
