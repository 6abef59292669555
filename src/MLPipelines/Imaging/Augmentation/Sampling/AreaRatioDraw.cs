namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// The rectangle draw shared by torchvision's RandomResizedCrop and RandomErasing: an area uniform in
/// <c>area · scale</c> and an aspect ratio log-uniform in <c>ratio</c>, giving sides √(area·ratio) and √(area/ratio)
/// rounded half to even (Python's round). Which side is the width differs between the two transforms.
/// </summary>
internal static class AreaRatioDraw
{
    public static (int TimesRatio, int OverRatio) Draw(Random random, double area, ValueRange scale, ValueRange ratio)
    {
        double target = area * scale.Draw(random);
        double aspect = Math.Exp(random.Uniform(Math.Log(ratio.Min), Math.Log(ratio.Max)));
        return ((int)Math.Round(Math.Sqrt(target * aspect)), (int)Math.Round(Math.Sqrt(target / aspect)));
    }
}
