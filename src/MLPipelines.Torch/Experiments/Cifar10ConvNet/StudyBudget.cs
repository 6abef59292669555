namespace MLPipelines.Torch.Experiments.Cifar10ConvNet;

/// <summary>The data sizes and epochs a run uses: the definition's, or its quick settings with --quick.</summary>
internal sealed record StudyBudget(int TrainPerClass, int ValidationPerClass, int TestPerClass, int Epochs, int DropoutEpochs,
    int TransferEpochs, IReadOnlyList<double> DropoutValues)
{
    /// <summary>The budget of <paramref name="definition"/>, or its --quick budget (every epoch count becomes the quick one).</summary>
    public static StudyBudget From(Cifar10ConvNetDefinition definition, bool quick) => quick
        ? new(definition.Quick.TrainPerClass, definition.Quick.ValidationPerClass, definition.Quick.TestPerClass, definition.Quick.Epochs,
            definition.Quick.Epochs, definition.Quick.Epochs, definition.Quick.DropoutValues)
        : new(definition.Data.TrainPerClass, definition.Data.ValidationPerClass, definition.Data.TestPerClass, definition.Training.Epochs,
            definition.DropoutSweep.Epochs, definition.Transfer.Epochs, definition.DropoutSweep.Values);

    /// <summary>One line for the log.</summary>
    public string Describe() =>
        $"{TrainPerClass}/{ValidationPerClass}/{TestPerClass} train/validation/test images per class, {Epochs} epochs " +
        $"({DropoutEpochs} per dropout point, {TransferEpochs} per transfer run)";
}
