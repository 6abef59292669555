using System.Globalization;
using System.Text;
using System.Text.Json;
using MLPipelines.Catalog;
using MLPipelines.Diagnostics;
using MLPipelines.Evaluation;
using MLPipelines.Pipelines;

namespace MLPipelines.Reports;

/// <summary>
/// Writes a run's <c>report.md</c> (reads well on GitHub: relative image links) and <c>metrics.json</c> (every number of the
/// report, for scripts) into the run folder.
/// </summary>
public static class ExperimentReport
{
    /// <summary>Writes the report files; returns the path of report.md.</summary>
    public static string Write(ExperimentContext context, IReadOnlyList<MethodResult> results, TimeSpan elapsed, string commandLine)
    {
        var figures = new ReportFigures(context.RunFolder);
        var best = results.OrderByDescending(r => r.ValidationAccuracy).ThenByDescending(r => r.Test.Accuracy).First();
        figures.DrawAll(results, best, context.Split.Classes);
        var md = new StringBuilder();
        var definition = context.Definition;
        md.Append($"# {definition.Name}: {definition.Dataset.Describe()}\n\n");
        if (definition.Description.Length > 0) md.Append(definition.Description).Append("\n\n");
        md.Append($"Run {Path.GetFileName(context.RunFolder)} · seed {context.Seed}" +
                  $"{(context.Options.Quick ? " · **quick mode (small subset, single grid points): not comparable with full runs**" : "")}" +
                  $" · {Environment.ProcessorCount} cores · .NET {Environment.Version} · total time {ReportFormat.Duration(elapsed)}" +
                  $" · peak memory {ProcessMemory.Format(ProcessMemory.PeakResidentBytes())} (resident, whole process) · {MallocTuning.Describe()}\n\n");
        md.Append($"Command: `{commandLine}`\n\n");

        AppendResults(md, results, best);
        AppendReference(md, definition.Reference);
        AppendDataset(md, context);
        AppendBestModel(md, context, best, figures);
        AppendMethodDetails(md, context, results, best, figures);

        string reportPath = Path.Combine(context.RunFolder, "report.md");
        AtomicFile.WriteAllText(reportPath, md.ToString());
        AtomicFile.WriteAllText(Path.Combine(context.RunFolder, "metrics.json"), MetricsJson(context, results, best, elapsed));
        return reportPath;
    }

    private static void AppendResults(StringBuilder md, IReadOnlyList<MethodResult> results, MethodResult best)
    {
        md.Append("## Results\n\n");
        md.Append("Validation accuracy selects hyperparameters; each final model is evaluated once on the test split.\n\n");
        var table = new MarkdownTable("Method", "Backbone", "Chosen setting", "Validation acc.", "Test acc.", "Macro-F1", "Log-loss",
            "Top-3", "Train time", "Featurization", "Model").AlignRight(3, 4, 5, 6, 7, 8, 9);
        foreach (var r in results)
            table.Add(r == best ? $"**{r.Method}**" : r.Method, r.Backbone, r.Setting, ReportFormat.Percent(r.ValidationAccuracy),
                ReportFormat.Percent(r.Test.Accuracy), ReportFormat.Number(r.Test.MacroF1), ReportFormat.Number(r.Test.LogLoss),
                ReportFormat.Percent(r.Test.TopK(3)), ReportFormat.Duration(r.TrainTime),
                r.FeaturizationImagesPerSecond is { } ips ? $"{ips:0} img/s" : "cached",
                r.ModelPath is null ? "—" : $"[model.zip]({ReportFormat.Link(r.ModelPath)})");
        md.Append(table).Append('\n');
        md.Append($"Best on validation: **{best.Method}** ({best.Backbone}), test accuracy **{ReportFormat.Percent(best.Test.Accuracy)}**. " +
                  "Featurization throughput counts decoding, resizing and ONNX Runtime for the images computed in this run " +
                  "(\"cached\": every feature came from the bottleneck cache).\n\n");
    }

    private static void AppendReference(StringBuilder md, ReferenceResults? reference)
    {
        if (reference is null || reference.Rows.Count == 0) return;
        md.Append("## Reference results\n\n").Append(reference.Source).Append("\n\n");
        var table = new MarkdownTable(["Method", .. reference.Columns.Select(c => c == reference.Highlight ? $"**{c}** (this pipeline)" : c)]);
        foreach (var row in reference.Rows)
            table.Add([row.Method, .. row.Values.Select((v, i) => v is null ? "—" : reference.Columns[i] == reference.Highlight ? $"**{v:0.0}%**" : $"{v:0.0}%")]);
        md.Append(table).Append('\n');
    }

    private static void AppendDataset(StringBuilder md, ExperimentContext context)
    {
        var split = context.Split;
        var dataset = context.Dataset;
        md.Append("## Dataset\n\n");
        md.Append($"- Folder: `{dataset.Root}` ({dataset.Classes.Count} classes, {dataset.Images.Count} usable images, {dataset.Skipped.Count} skipped)\n");
        md.Append($"- Split: stratified, seed {context.Seed}; {context.Definition.Split.Describe()}, " +
                  $"validation {context.Definition.Split.ValidationFraction:0.##} of the training split → " +
                  $"{split.Train.Count} train / {split.Validation.Count} validation / {split.Test.Count} test " +
                  $"({split.TrainAndValidation.Count} images for the final refit)\n");
        md.Append("- Split files: [split-train.csv](split-train.csv), [split-validation.csv](split-validation.csv), [split-test.csv](split-test.csv)\n\n");
        var counts = new MarkdownTable("Class", "Train", "Validation", "Test", "Total").AlignRight(1, 2, 3, 4);
        foreach (var (name, train, validation, test) in split.CountsPerClass())
            counts.Add(name, train, validation, test, train + validation + test);
        counts.Add("**all**", split.Train.Count, split.Validation.Count, split.Test.Count, split.Train.Count + split.Validation.Count + split.Test.Count);
        md.Append(counts).Append('\n');

        md.Append("### Normalization\n\n");
        md.Append("Pretrained backbones use their own statistics from the model catalog (ImageNet's, inside the ONNX graph). " +
                  "From-scratch methods use per-channel statistics streamed over the training split (train + validation) at their input size.\n\n");
        var stats = new MarkdownTable("Statistics", "mean R", "mean G", "mean B", "std R", "std G", "std B").AlignRight(1, 2, 3, 4, 5, 6);
        string F(float v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        stats.Add(["ImageNet (torchvision)", .. PreprocessingSpec.ImageNetMean.Select(F), .. PreprocessingSpec.ImageNetStd.Select(F)]);
        foreach (var ((w, h), s) in context.ComputedStatistics)
            stats.Add([$"training split, {s.ImageCount} images at {w}×{h}", .. s.Mean.Select(F), .. s.Std.Select(F)]);
        md.Append(stats).Append('\n');

        md.Append("### Skipped files\n\n");
        if (dataset.Skipped.Count == 0)
            md.Append("None: every file was a readable image.\n\n");
        else
        {
            var skipped = new MarkdownTable("File", "Reason");
            foreach (var s in dataset.Skipped)
                skipped.Add(Path.GetRelativePath(dataset.Root, s.Path), s.Reason);
            md.Append(skipped).Append('\n');
        }
    }

    private static void AppendBestModel(StringBuilder md, ExperimentContext context, MethodResult best, ReportFigures figures)
    {
        var classes = context.Split.Classes;
        md.Append($"## Best model: {best.Method}\n\n");
        md.Append("### Confusion matrix (test; rows: true class, columns: predicted)\n\n");
        var confusion = new MarkdownTable(["true \\ predicted", .. classes]);
        for (int i = 0; i < classes.Count; i++)
            confusion.Add([classes[i], .. Enumerable.Range(0, classes.Count).Select(j => (object)(i == j ? $"**{best.Test.ConfusionMatrix[i, j]}**" : best.Test.ConfusionMatrix[i, j].ToString()))]);
        md.Append(confusion).Append('\n');
        if (figures.ConfusionMatrix(best, classes) is { } heatmap)
            md.Append($"![confusion matrix]({heatmap})\n\n");

        md.Append("### Per-class metrics (test)\n\n");
        var perClass = new MarkdownTable("Class", "Precision", "Recall", "F1", "Support").AlignRight(1, 2, 3, 4);
        foreach (var c in best.Test.PerClass)
            perClass.Add(c.Class, ReportFormat.Number(c.Precision), ReportFormat.Number(c.Recall), ReportFormat.Number(c.F1), c.Support);
        md.Append(perClass).Append('\n');
        md.Append($"Accuracy {ReportFormat.Percent(best.Test.Accuracy)}, macro accuracy {ReportFormat.Percent(best.Test.MacroAccuracy)}, " +
                  $"macro-F1 {ReportFormat.Number(best.Test.MacroF1)}, log-loss {ReportFormat.Number(best.Test.LogLoss)}, " +
                  $"top-3 {ReportFormat.Percent(best.Test.TopK(3))}, top-5 {ReportFormat.Percent(best.Test.TopK(5))}.\n\n");
        md.Append("### Misclassified test images\n\n");
        md.Append(figures.Misclassified(best, classes) is { } grid ? $"![misclassified examples]({grid})\n\n" : "No test image was misclassified.\n\n");
    }

    private static void AppendMethodDetails(StringBuilder md, ExperimentContext context, IReadOnlyList<MethodResult> results, MethodResult best,
        ReportFigures figures)
    {
        md.Append("## Methods\n\n");
        foreach (var r in results)
        {
            md.Append($"### {r.Method}\n\n");
            md.Append($"Backbone: {r.Backbone} · chosen: {r.Setting} · validation {ReportFormat.Percent(r.ValidationAccuracy)} · " +
                      $"test {ReportFormat.Percent(r.Test.Accuracy)} · macro accuracy {ReportFormat.Percent(r.Test.MacroAccuracy)}" +
                      (r.ModelPath is null ? "" : $" · [model.zip]({ReportFormat.Link(r.ModelPath)})") + "\n\n");
            if (r.Grid.Count > 0)
            {
                var grid = new MarkdownTable("Setting", "Validation acc.", "Validation log-loss", "Fit time").AlignRight(1, 2, 3);
                foreach (var point in r.Grid)
                    grid.Add(point.Setting == r.Setting ? $"**{point.Setting}** (chosen)" : point.Setting, ReportFormat.Percent(point.ValidationAccuracy),
                        ReportFormat.Number(point.ValidationLogLoss), ReportFormat.Duration(point.FitTime));
                md.Append("Hyperparameter grid (fitted on train, scored on validation; the chosen point is refitted on train + validation):\n\n").Append(grid).Append('\n');
            }
            foreach (var detail in r.Details)
                md.Append(detail.TrimEnd()).Append("\n\n");
            if (r != best && figures.Misclassified(r, context.Split.Classes) is { } grid2)
                md.Append($"<details><summary>Misclassified test images</summary>\n\n![misclassified examples]({grid2})\n\n</details>\n\n");
        }
    }

    private static string MetricsJson(ExperimentContext context, IReadOnlyList<MethodResult> results, MethodResult best, TimeSpan elapsed)
    {
        var classes = context.Split.Classes;
        var document = new
        {
            pipeline = context.Definition.Name,
            dataset = context.Definition.Dataset.Describe(),
            datasetFolder = context.Dataset.Root,
            seed = context.Seed,
            quick = context.Options.Quick,
            elapsedSeconds = elapsed.TotalSeconds,
            peakResidentBytes = ProcessMemory.PeakResidentBytes(),
            classes,
            split = new
            {
                train = context.Split.Train.Count,
                validation = context.Split.Validation.Count,
                test = context.Split.Test.Count,
                perClass = context.Split.CountsPerClass().Select(c => new { c.Class, c.Train, c.Validation, c.Test }),
            },
            skipped = context.Dataset.Skipped.Select(s => new { path = s.Path, reason = s.Reason }),
            normalization = new
            {
                imagenet = new { mean = PreprocessingSpec.ImageNetMean, std = PreprocessingSpec.ImageNetStd },
                computed = context.ComputedStatistics.Select(s => new { width = s.Key.Width, height = s.Key.Height, images = s.Value.ImageCount, mean = s.Value.Mean, std = s.Value.Std }),
            },
            best = best.Id,
            methods = results.Select(r => new
            {
                id = r.Id,
                method = r.Method,
                backbone = r.Backbone,
                setting = r.Setting,
                validationAccuracy = NanToNull(r.ValidationAccuracy),
                test = new
                {
                    accuracy = r.Test.Accuracy,
                    macroAccuracy = r.Test.MacroAccuracy,
                    macroF1 = r.Test.MacroF1,
                    logLoss = r.Test.LogLoss,
                    topK = r.Test.TopKAccuracy,
                    perClass = r.Test.PerClass,
                    confusionMatrix = Enumerable.Range(0, classes.Count).Select(i => Enumerable.Range(0, classes.Count).Select(j => r.Test.ConfusionMatrix[i, j])),
                },
                trainSeconds = r.TrainTime.TotalSeconds,
                featurizationImagesPerSecond = r.FeaturizationImagesPerSecond,
                model = r.ModelPath?.Replace('\\', '/'),
                grid = r.Grid.Select(g => new { setting = g.Setting, validationAccuracy = g.ValidationAccuracy, validationLogLoss = NanToNull(g.ValidationLogLoss), fitSeconds = g.FitTime.TotalSeconds }),
                extra = r.Extra,
            }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
    }

    private static double? NanToNull(double value) => double.IsNaN(value) ? null : value;
}
