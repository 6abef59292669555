using System.Diagnostics;
using MLPipelines.Torch.Training;
using MLPipelines.Visualization;

namespace MLPipelines.Torch.Experiments.Cifar10ConvNet;

/// <summary>
/// Trains one configuration of the study on in-memory images with the shared trainer (<see cref="TrainerNetworks"/> builds
/// the network, <see cref="NetworkTrainer"/> trains it and restores the best epoch), then scores the test images.
/// </summary>
internal static class StudyTrainer
{
    /// <summary>
    /// Trains <paramref name="options"/> on <paramref name="sets"/>. With <paramref name="scoreLastEpoch"/> the last epoch's
    /// weights are kept too and scored on test (for the best-versus-last table). With <paramref name="filtersFolder"/>
    /// the first convolution's filters are drawn before training and after it (best epoch) as filters-before/after.png.
    /// </summary>
    public static StudyRunResult Train(string name, ImageClassificationTrainer.Options options,
        (DecodedImageSet Train, DecodedImageSet Validation, DecodedImageSet Test) sets, int classCount, bool scoreLastEpoch = false,
        string? filtersFolder = null)
    {
        var clock = Stopwatch.StartNew();
        var prepared = TrainerNetworks.Build(options, classCount, sets.Train);
        using var network = prepared.Network;
        if (filtersFolder is not null) SaveFilters(network, Path.Combine(filtersFolder, "filters-before.png"));
        byte[]? lastWeights = null;
        var callerCallback = options.EpochCompleted;
        options.EpochCompleted = metrics =>
        {
            // The trainer restores the best epoch at the end; the last epoch's weights are only reachable here.
            if (scoreLastEpoch) lastWeights = NetworkTrainer.Save(network.Module);
            callerCallback?.Invoke(metrics);
        };
        TrainingResult training;
        try
        {
            training = new NetworkTrainer(options).Train(network, sets.Train, sets.Validation, classCount, prepared.Normalization);
        }
        finally
        {
            options.EpochCompleted = callerCallback;
        }
        var test = Score(network, sets.Test, prepared.Normalization, options.BatchSize);
        if (filtersFolder is not null) SaveFilters(network, Path.Combine(filtersFolder, "filters-after.png"));
        (double, double)? lastTest = null;
        if (scoreLastEpoch)
        {
            if (training.BestEpoch == training.History.Count) lastTest = test;
            else
            {
                NetworkTrainer.Load(network.Module, lastWeights!);
                lastTest = Score(network, sets.Test, prepared.Normalization, options.BatchSize);
            }
        }
        return new StudyRunResult(name, prepared.Description, training.History, training.BestEpoch, test, lastTest, options.ImageSize,
            sets.Train.Count, clock.Elapsed);
    }

    private static (double Loss, double Accuracy) Score(IExportableNetwork network, DecodedImageSet images, Normalization normalization, int batchSize) =>
        NetworkTrainer.Evaluate(network, images, normalization, Math.Max(batchSize, 64)).Summary(images.Labels);

    private static void SaveFilters(IExportableNetwork network, string pngPath)
    {
        if (network is not OnnxNetwork bridged)
            throw new InvalidOperationException($"{pngPath}: filters can only be drawn for networks trained through the ONNX bridge");
        Directory.CreateDirectory(Path.GetDirectoryName(pngPath)!);
        FilterGrid.Create(FirstConvolution.Find(bridged.Onnx.ToModel())).Save(pngPath);
    }
}
