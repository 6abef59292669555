using System.CommandLine;
using System.Text;
using MLPipelines.Catalog;
using MLPipelines.Data;
using MLPipelines.Imaging;
using MLPipelines.Pipelines;
using MLPipelines.Reports;
using MLPipelines.Scoring;
using Spectre.Console;

namespace MLPipelines.Cli.Commands;

/// <summary><c>classify --model &lt;name|file.onnx&gt; &lt;image or folder&gt;…</c>: top-k ImageNet classes with names and probabilities.</summary>
internal static class ClassifyCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Catalog classifier (see `list models`)", DefaultValueFactory = _ => "mobilenetv2-7-classifier" };
        var top = new Option<int>("--top", "-k") { Description = "Classes to show per image", DefaultValueFactory = _ => 5 };
        var report = new Option<string?>("--report") { Description = "Also write the predictions as a Markdown table to this file" };
        var compare = new Option<string?>("--compare-with") { Description = "Second classifier to time and compare top-1 with (e.g. mobilenetv2-12-int8)" };
        var save = new Option<string?>("--save") { Description = "Save the scoring pipeline as a model.zip (ImagePath in; PredictedLabel, Score out)" };
        var inputs = new Argument<string[]>("images") { Description = "Image files or folders (searched recursively)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("classify", "Classify images with a pretrained ONNX classifier (top-k classes with names)") { model, top, report, compare, save, inputs };
        CommonOptions.AddAssetOptions(command);
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(CommonOptions.Verbose), () =>
        {
            var images = ExpandImages(parse.GetValue(inputs)!);
            var assets = new AssetLocator(CommonOptions.Assets(parse));
            var first = Load(parse.GetValue(model)!, assets);
            var run = Score(first, images, parse.GetValue(top));
            Print(first, run);
            ClassificationRun? other = null;
            ImageClassifier? second = null;
            if (parse.GetValue(compare) is { } otherName)
            {
                second = Load(otherName, assets);
                other = Score(second, images, parse.GetValue(top));
                AnsiConsole.MarkupLine($"{Markup.Escape(second.Card.Name)}: {other.ImagesPerSecond:0.0} images/s; " +
                                       $"top-1 agreement with {Markup.Escape(first.Card.Name)}: {run.Top1Agreement(other):P1}");
            }
            if (parse.GetValue(report) is { } reportPath)
            {
                AtomicFile.WriteAllText(reportPath, Markdown(first, run, second, other));
                AnsiConsole.MarkupLine($"Report: {Markup.Escape(Path.GetFullPath(reportPath))}");
            }
            if (parse.GetValue(save) is { } zip)
            {
                first.Save(zip);
                AnsiConsole.MarkupLine($"Saved {Markup.Escape(Path.GetFullPath(zip))}");
            }
            return 0;
        }));
        return command;
    }

    internal static ImageClassifier Load(string name, AssetLocator assets)
    {
        var card = ModelCatalog.BuiltIn.Get(name);
        if (card.Labels is null)
            throw new CatalogException($"model '{name}' is a feature extractor, not a classifier; classifiers: " +
                string.Join(", ", ModelCatalog.BuiltIn.Models.Where(m => m.Labels is not null).Select(m => m.Name)));
        string labels = assets.LocateFile(AssetKind.Models, ModelCatalog.BuiltIn.LabelFile(card.Labels.File));
        return ImageClassifier.Create(card, assets.LocateModel(card), labels, assets.CacheRoot);
    }

    // The first image is scored once before timing, so the rate excludes one-off costs (JIT, ONNX Runtime session warm-up).
    private static ClassificationRun Score(ImageClassifier classifier, IReadOnlyList<string> images, int k)
    {
        classifier.Classify(images.Take(1).ToList(), k);
        return classifier.Classify(images, k);
    }

    internal static IReadOnlyList<string> ExpandImages(IEnumerable<string> inputs)
    {
        var images = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
                images.AddRange(Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                    .Where(f => ImageDecoder.SupportedExtensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal));
            else if (File.Exists(input))
                images.Add(Path.GetFullPath(input));
            else
                throw new DataException($"{input}: no such image file or folder");
        }
        if (images.Count == 0) throw new DataException($"no images found in {string.Join(", ", inputs)}");
        // Every file is decoded once first, so a corrupt file is named instead of failing inside ML.NET.
        foreach (var image in images)
            ImageDecoder.Decode(image).Dispose();
        return images;
    }

    private static void Print(ImageClassifier classifier, ClassificationRun run)
    {
        var table = new Table().Title($"{Markup.Escape(classifier.Card.Name)}: top {run.Predictions[0].Top.Count}").AddColumns("Image", "Classes");
        foreach (var p in run.Predictions)
            table.AddRow(Markup.Escape(Path.GetFileName(p.ImagePath)), Markup.Escape(string.Join(", ", p.Top.Select(t => $"{t.Name} {t.Probability:P1}"))));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{run.Predictions.Count} images in {run.Elapsed.TotalSeconds:0.00} s: {run.ImagesPerSecond:0.0} images/s (ML.NET pipeline, decode to probabilities)");
    }

    private static string Markdown(ImageClassifier classifier, ClassificationRun run, ImageClassifier? second, ClassificationRun? other)
    {
        var md = new StringBuilder($"# Classification with {classifier.Card.Name}\n\n");
        var table = new MarkdownTable("Image", "Top-1", "Probability", "Top-k");
        foreach (var p in run.Predictions)
            table.Add(Path.GetFileName(p.ImagePath), p.Best.Name, ReportFormat.Percent(p.Best.Probability), string.Join(", ", p.Top.Select(t => $"{t.Name} {ReportFormat.Percent(t.Probability)}")));
        md.Append(table).Append($"\n{run.Predictions.Count} images, {run.ImagesPerSecond:0.0} images/s.\n");
        if (second is not null && other is not null)
            md.Append($"\n{second.Card.Name}: {other.ImagesPerSecond:0.0} images/s; top-1 agreement with {classifier.Card.Name}: {ReportFormat.Percent(run.Top1Agreement(other))}.\n");
        return md.ToString();
    }
}
