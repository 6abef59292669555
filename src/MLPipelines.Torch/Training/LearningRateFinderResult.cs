using MLPipelines.Reports.Plots;

namespace MLPipelines.Torch.Training;

/// <summary>
/// The loss curve of a learning-rate range test and two suggestions: the rate where the smoothed loss falls fastest (steepest
/// descent against log rate) and a tenth of the rate with the lowest smoothed loss (fastai's "minimum / 10").
/// </summary>
/// <param name="LearningRates">Rate of every step.</param>
/// <param name="Losses">Raw batch loss of every step.</param>
/// <param name="SmoothedLosses">Exponentially smoothed, bias-corrected loss.</param>
/// <param name="SteepestRate">Rate at the steepest descent of the smoothed loss.</param>
/// <param name="MinimumOverTenRate">A tenth of the rate with the lowest smoothed loss.</param>
public sealed record LearningRateFinderResult(IReadOnlyList<double> LearningRates, IReadOnlyList<double> Losses,
    IReadOnlyList<double> SmoothedLosses, double SteepestRate, double MinimumOverTenRate)
{
    /// <summary>Computes the suggestions from a recorded curve.</summary>
    public static LearningRateFinderResult From(IReadOnlyList<double> rates, IReadOnlyList<double> losses, IReadOnlyList<double> smoothed)
    {
        if (rates.Count < 2) throw new InvalidOperationException("the learning-rate finder recorded fewer than 2 steps");
        // The end of the curve is where the loss blows up; fastai skips it (and the noisy start) when looking for the slope.
        int last = Math.Max(2, rates.Count - 5);
        int steepest = 1;
        double steepestSlope = double.PositiveInfinity;
        for (int i = 1; i < last; i++)
        {
            double slope = (smoothed[i] - smoothed[i - 1]) / (Math.Log(rates[i]) - Math.Log(rates[i - 1]));
            if (slope < steepestSlope)
            {
                steepestSlope = slope;
                steepest = i;
            }
        }
        int minimum = Enumerable.Range(0, rates.Count).MinBy(i => smoothed[i]);
        return new LearningRateFinderResult(rates, losses, smoothed, rates[steepest], rates[minimum] / 10);
    }

    /// <summary>Plots loss against learning rate (log x) with the suggestions in the title, as a PNG.</summary>
    public void SavePlot(string path, int width = 800, int height = 500)
    {
        var chart = new LineChart(
        [
            new LineSeries("loss", LearningRates, Losses),
            new LineSeries("smoothed loss", LearningRates, SmoothedLosses),
        ])
        {
            Title = FormattableString.Invariant($"Learning-rate finder: steepest {SteepestRate:0.##e+0}, minimum/10 {MinimumOverTenRate:0.##e+0}"),
            XLabel = "learning rate",
            YLabel = "training loss",
            LogX = true,
        };
        PlotRenderer.Save(chart, path, width, height);
    }
}
