using MLPipelines.Reports.Plots;
using MLPipelines.Torch.Training;

namespace MLPipelines.Torch.Pipelines;

/// <summary>Training curves of a learning-rate grid: loss and accuracy per epoch, train and validation, one line per rate.</summary>
public static class TrainingCurves
{
    /// <summary>Writes a 2×2 PNG grid (train loss, validation loss, train accuracy, validation accuracy) to <paramref name="path"/>.</summary>
    public static void Save(string path, string title, IReadOnlyList<(string Name, IReadOnlyList<EpochMetrics> History)> runs)
    {
        LineChart Panel(string panelTitle, string yLabel, Func<EpochMetrics, double> value) =>
            new([.. runs.Select(r => LineSeries.Indexed(r.Name, r.History.Select(value).ToList()))])
            {
                Title = panelTitle, XLabel = "epoch", YLabel = yLabel,
            };
        var grid = new ChartGrid(
        [
            Panel("training loss", "loss", m => m.TrainLoss),
            Panel("validation loss", "loss", m => m.ValidationLoss),
            Panel("training accuracy", "accuracy", m => m.TrainAccuracy),
            Panel("validation accuracy", "accuracy", m => m.ValidationAccuracy),
        ])
        { Title = title, Columns = 2 };
        PlotRenderer.Save(grid, path, 1200, 840);
    }
}
