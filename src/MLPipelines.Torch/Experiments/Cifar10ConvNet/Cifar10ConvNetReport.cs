using System.Globalization;
using System.Text;
using MLPipelines.Experiments;
using MLPipelines.Reports;
using MLPipelines.Reports.Plots;
using MLPipelines.Torch.Pipelines;

namespace MLPipelines.Torch.Experiments.Cifar10ConvNet;

/// <summary>Writes the study's report.md and its plots (curves per comparison, the dropout sweep) from the finished runs.</summary>
internal sealed class Cifar10ConvNetReport(Cifar10ConvNetDefinition definition, StudyBudget budget, StudyResults results,
    (long NoBatchNorm, long BatchNorm) parameters, int trainImages, int validationImages, int testImages, TimeSpan readTime, int threads)
{
    /// <summary>The reference's results (50 epochs, full data, GPU) and its VGG11 transfer results.</summary>
    internal const double ReferenceNoBatchNorm = 0.793, ReferenceBatchNormEarlyStopping = 0.837,
        ReferenceHeadOnly = 0.632, ReferenceFullFineTune = 0.629, ReferenceScratch = 0.888;

    /// <summary>Writes the plots into <paramref name="runFolder"/>/plots and returns the Markdown.</summary>
    public string Write(string runFolder, int seed, bool quick, TimeSpan elapsed, string commandLine)
    {
        var md = new StringBuilder();
        string plots = Path.Combine(runFolder, "plots");
        string description = definition.Description.Length > 0 ? definition.Description
            : "What batch norm, early stopping, augmentation, dropout, LR schedules and the optimizer do to the course ConvNet on CIFAR-10, and MobileNetV2 transfer.";
        ReportHeader.Append(md, $"{definition.Name}: the CIFAR-10 ConvNet study", description, runFolder, seed, quick, elapsed, commandLine);
        md.Append("> The CIFAR-10 copy used here is **JPEG (quality 75), so it is lossy**: pixels differ from the original CIFAR-10 by about " +
                  "6/255 on average. Results are close to, not exactly comparable with, published CIFAR-10 numbers.\n\n");

        AppendBudget(md);
        var noBn = results.Named("no BN");
        var bn = results.Named("BN");
        bool met = bn.Best.ValidationAccuracy > noBn.Best.ValidationAccuracy;
        md.Append($"**Target: the BN model beats the no-BN model on validation at equal budget — {(met ? "met" : "NOT met")}**: best validation accuracy " +
                  $"{ReportFormat.Percent(bn.Best.ValidationAccuracy)} with BN against {ReportFormat.Percent(noBn.Best.ValidationAccuracy)} without " +
                  "(same images, epochs, optimizer, schedule and seed).\n\n");

        md.Append("## 1. Batch normalization\n\n");
        md.Append($"The course ConvNet [128, 512, 512, 512, 512] (conv 3×3 → [BN] → ReLU → max-pool per block, then one linear layer): " +
                  $"**{parameters.NoBatchNorm:N0} parameters without BN, {parameters.BatchNorm:N0} with BN**. Reference (50 epochs, full data, GPU): " +
                  $"{ReportFormat.Percent(ReferenceNoBatchNorm)} test without BN, {ReportFormat.Percent(ReferenceBatchNormEarlyStopping)} with BN and early stopping.\n\n");
        Comparison(md, plots, "batch-norm", "ConvNet with and without batch norm", [noBn, bn],
            [ReportFormat.Percent(ReferenceNoBatchNorm), ReportFormat.Percent(ReferenceBatchNormEarlyStopping)]);

        md.Append("## 2. Early stopping: best against last epoch\n\n");
        md.Append("The trainer keeps the weights of the epoch with the best validation accuracy and restores them at the end" +
                  (definition.Training.EarlyStoppingPatience is int patience ? $"; training stops after {patience} epochs without improvement" : "; every epoch trains (no patience set)") +
                  ". The last epoch's weights are scored on test as well:\n\n");
        var stopping = new MarkdownTable("Run", "Model", "Epoch", "Train loss", "Validation loss", "Validation acc.", "Test acc.").AlignRight(2, 3, 4, 5, 6);
        foreach (var run in new[] { noBn, bn })
        {
            stopping.Add(run.Name, "best", run.BestEpoch, ReportFormat.Number(run.Best.TrainLoss), ReportFormat.Number(run.Best.ValidationLoss),
                ReportFormat.Percent(run.Best.ValidationAccuracy), ReportFormat.Percent(run.Test.Accuracy));
            stopping.Add(run.Name, "last", run.History.Count, ReportFormat.Number(run.Last.TrainLoss), ReportFormat.Number(run.Last.ValidationLoss),
                ReportFormat.Percent(run.Last.ValidationAccuracy), ReportFormat.Percent(run.LastTest?.Accuracy ?? double.NaN));
        }
        md.Append(stopping).Append('\n');

        md.Append("## 3. Augmentation\n\n");
        md.Append($"`{definition.Training.Augmentation}`" + (definition.Training.Augmentation == "cifar"
            ? " = random crop 32 with padding 4, horizontal flip, rotation ±5° with translation up to 0.2, grayscale (p 0.1), colour jitter (0.2, hue 0.05)"
            : "") + ", applied to training images only.\n\n");
        Comparison(md, plots, "augmentation", "BN ConvNet with and without augmentation", [bn, .. results.In(StudyResults.Augmentation)]);

        AppendDropout(md, plots);

        md.Append("## 5. Learning-rate schedule against a constant rate\n\n");
        Comparison(md, plots, "schedule", $"{definition.Training.Schedule} schedule against a constant learning rate",
            [bn, .. results.In(StudyResults.Schedule)]);

        md.Append("## 6. SGD with momentum against AdamW\n\n");
        md.Append($"SGD: lr {Invariant(definition.Training.LearningRate)}, momentum 0.9, weight decay 1e-4. AdamW: lr " +
                  $"{Invariant(definition.Training.AdamLearningRate)}, β 0.9/0.999, decoupled weight decay 1e-4. Both with the {definition.Training.Schedule} schedule.\n\n");
        Comparison(md, plots, "optimizer", "SGD + momentum against AdamW", [bn, .. results.In(StudyResults.Optimizer)]);

        md.Append("## 7. First-layer filters\n\n");
        md.Append("The 128 filters (3×3 RGB) of the BN ConvNet's first convolution, each scaled to its own range, at initialization and after " +
                  "training (the restored best epoch).\n\n");
        md.Append("| before training | after training |\n| --- | --- |\n| ![before](plots/filters-before.png) | ![after](plots/filters-after.png) |\n\n");

        AppendTransfer(md, plots);

        md.Append("## All runs\n\n");
        var all = new MarkdownTable("Run", "Network", "Size", "Best epoch", "Train loss", "Validation acc.", "Test acc.", "Images/s", "Time")
            .AlignRight(2, 3, 4, 5, 6, 7, 8);
        foreach (var (_, run) in results.All)
            all.Add(run.Name, ShortNetwork(run.Network), run.ImageSize, $"{run.BestEpoch}/{run.History.Count}", ReportFormat.Number(run.Best.TrainLoss),
                ReportFormat.Percent(run.Best.ValidationAccuracy), ReportFormat.Percent(run.Test.Accuracy), run.ImagesPerSecond.ToString("0", CultureInfo.InvariantCulture),
                ReportFormat.Duration(run.Duration));
        md.Append(all).Append('\n');
        md.Append("Test accuracy is that of the restored best epoch. Images/s: training throughput (forward, backward, step) on this machine.\n");
        return md.ToString();
    }

    private void AppendBudget(StringBuilder md)
    {
        md.Append("## Budget\n\n");
        md.Append("CPU-bound: the defaults are a subset and few epochs so that everything fits about half an hour on 2 cores; " +
                  "`cifar10-convnet-full` is the reference setting (4500/500 train/validation images per class, the full 10,000 test images, 50 epochs).\n\n");
        var table = new MarkdownTable("", "Value").AlignRight(1);
        table.Add("training images", $"{trainImages:N0} ({budget.TrainPerClass} per class: the first of each class of the training split)");
        table.Add("validation images", $"{validationImages:N0} ({budget.ValidationPerClass} per class: the next ones of the training split)");
        table.Add("test images", $"{testImages:N0} ({budget.TestPerClass} per class of the test split)");
        table.Add("epochs", $"{budget.Epochs} per ConvNet run, **{budget.DropoutEpochs} per dropout-sweep point**, {budget.TransferEpochs} per transfer run");
        table.Add("image size", $"32×32 (ConvNet); transfer at {string.Join(" and ", definition.Transfer.ImageSizes.Select(s => $"{s}×{s}"))}");
        table.Add("baseline recipe", $"SGD lr {Invariant(definition.Training.LearningRate)}, momentum 0.9, weight decay 1e-4, batch {definition.Training.BatchSize}, " +
                                     $"{definition.Training.Schedule} schedule, no augmentation, no dropout");
        table.Add("compute", $"{threads} TorchSharp threads; reading and decoding the images {ReportFormat.Duration(readTime)}; " +
                             $"{ReportFormat.Duration(TimeSpan.FromSeconds(results.All.Sum(r => r.Result.Duration.TotalSeconds)))} of training and scoring");
        md.Append(table).Append('\n');
        md.Append("Time per run is in the last table. Every run starts from the same seed: initial weights, batch order, augmentation and dropout are reproducible.\n\n");
    }

    private void AppendDropout(StringBuilder md, string plots)
    {
        var sweep = results.In(StudyResults.Dropout);
        md.Append("## 4. Dropout sweep\n\n");
        md.Append($"Dropout after every block of the BN ConvNet, p ∈ {{{string.Join(", ", budget.DropoutValues.Select(Invariant))}}}. " +
                  $"The sweep is the expensive part, so **each point trains {Epochs(budget.DropoutEpochs)}** (the other ConvNet runs {Epochs(budget.Epochs)}): " +
                  "compare points with each other, not with the other sections.\n\n");
        var points = sweep.Select((run, i) => (P: budget.DropoutValues[i], run)).ToList();
        PlotRenderer.Save(new LineChart([new LineSeries("best validation accuracy", [.. points.Select(x => x.P)],
                [.. points.Select(x => x.run.Best.ValidationAccuracy)])])
            {
                Title = $"Best validation accuracy against dropout p ({budget.DropoutEpochs} epochs each)", XLabel = "dropout p",
                YLabel = "best validation accuracy", ShowMarkers = true,
            }, Path.Combine(plots, "dropout-sweep.png"), 800, 500);
        md.Append("![best validation accuracy against p](plots/dropout-sweep.png)\n\n");
        var table = new MarkdownTable("p", "Best epoch", "Best validation acc.", "Train loss (best)", "Test acc.").AlignRight(0, 1, 2, 3, 4);
        foreach (var (p, run) in points)
            table.Add(Invariant(p), $"{run.BestEpoch}/{run.History.Count}", ReportFormat.Percent(run.Best.ValidationAccuracy),
                ReportFormat.Number(run.Best.TrainLoss), ReportFormat.Percent(run.Test.Accuracy));
        md.Append(table).Append('\n');
        var best = points.MaxBy(x => x.run.Best.ValidationAccuracy);
        md.Append($"Best: p = {Invariant(best.P)} ({ReportFormat.Percent(best.run.Best.ValidationAccuracy)} validation). " +
                  "Curves of every point: [dropout-curves.png](plots/dropout-curves.png).\n\n");
        TrainingCurves.Save(Path.Combine(plots, "dropout-curves.png"), "Dropout sweep", [.. sweep.Select(r => (r.Name, r.History))]);
    }

    private void AppendTransfer(StringBuilder md, string plots)
    {
        var transfer = definition.Transfer;
        md.Append("## 8. Transfer: pretrained MobileNetV2 against training from scratch\n\n");
        if (transfer.ImageSizes.Count == 0)
        {
            md.Append("Skipped: the definition lists no transfer `image-sizes`.\n\n");
            return;
        }
        md.Append($"`{transfer.Backbone}` (ImageNet weights, BN not folded) cut at `{transfer.CutAt}` plus a new linear head: **head only** (backbone frozen, " +
                  $"its BN on running statistics; lr {Invariant(transfer.HeadOnlyLearningRate)}), **full fine-tune** (every layer; lr " +
                  $"{Invariant(transfer.FullLearningRate)}), and the same architecture **from scratch** (seeded init; lr {Invariant(transfer.ScratchLearningRate)}); " +
                  $"SGD + momentum, {Epochs(budget.TransferEpochs)}, ImageNet normalization for the pretrained runs. The 32×32 images are upsampled with " +
                  "antialiased bilinear resampling for the larger sizes (the budget allows no more: MobileNetV2's cost grows with the pixel count).\n\n");
        md.Append($"Reference (VGG11 on CIFAR-10): FC only {ReportFormat.Percent(ReferenceHeadOnly)}, full fine-tune {ReportFormat.Percent(ReferenceFullFineTune)}, " +
                  $"scratch {ReportFormat.Percent(ReferenceScratch)}: ImageNet features suit 32×32 CIFAR images poorly (domain shift and resolution).\n\n");
        var runs = results.In(StudyResults.Transfer);
        var table = new MarkdownTable("Image size", "Head only", "Full fine-tune", "From scratch", "Time (head / full / scratch)").AlignRight(0, 1, 2, 3, 4);
        foreach (int size in transfer.ImageSizes)
        {
            var atSize = runs.Where(r => r.ImageSize == size).ToList();
            table.Add([$"{size}×{size}", .. atSize.Select(r => (object)ReportFormat.Percent(r.Test.Accuracy)),
                string.Join(" / ", atSize.Select(r => ReportFormat.Duration(r.Duration)))]);
            TrainingCurves.Save(Path.Combine(plots, $"transfer-{size}.png"), $"MobileNetV2 on CIFAR-10 at {size}×{size}", [.. atSize.Select(r => (r.Name, r.History))]);
        }
        table.Add("reference (VGG11)", ReportFormat.Percent(ReferenceHeadOnly), ReportFormat.Percent(ReferenceFullFineTune), ReportFormat.Percent(ReferenceScratch), "");
        md.Append("Test accuracy (best epoch on validation):\n\n").Append(table).Append('\n');
        foreach (int size in transfer.ImageSizes)
            md.Append($"![transfer curves at {size}](plots/transfer-{size}.png)\n\n");
    }

    // A table of the compared runs (with optional reference values) and one curves PNG of their train/validation loss and accuracy.
    private static void Comparison(StringBuilder md, string plots, string name, string title, IReadOnlyList<StudyRunResult> runs,
        IReadOnlyList<string>? references = null)
    {
        var headers = new List<string> { "Run", "Best epoch", "Train loss", "Validation loss", "Validation acc.", "Test acc." };
        if (references is not null) headers.Add("Reference test acc.");
        var table = new MarkdownTable([.. headers]).AlignRight([.. Enumerable.Range(1, headers.Count - 1)]);
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var cells = new List<object> { run.Name, $"{run.BestEpoch}/{run.History.Count}", ReportFormat.Number(run.Best.TrainLoss),
                ReportFormat.Number(run.Best.ValidationLoss), ReportFormat.Percent(run.Best.ValidationAccuracy), ReportFormat.Percent(run.Test.Accuracy) };
            if (references is not null) cells.Add(references[i]);
            table.Add([.. cells]);
        }
        md.Append(table).Append('\n');
        TrainingCurves.Save(Path.Combine(plots, name + ".png"), title, [.. runs.Select(r => (r.Name, r.History))]);
        md.Append($"![{title}](plots/{name}.png)\n\n");
    }

    // "convnet from scratch (classes=10 input-size=32 …)" → "convnet from scratch": the settings are in the run name and the sections.
    private static string ShortNetwork(string description) => description.Split(" (")[0];

    private static string Epochs(int count) => count == 1 ? "1 epoch" : $"{count} epochs";

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
