using System.Globalization;
using System.Text;
using MLPipelines.Imaging;
using MLPipelines.Reports;
using MLPipelines.Reports.Plots;
using MLPipelines.Scoring;
using SkiaSharp;

namespace MLPipelines.Torch.Interpretability;

/// <summary>
/// Attacks a set of images at several budgets and writes a Markdown report: original, adversarial and amplified perturbation
/// side by side, top-3 before and after, L∞ and L2 norms, the success rate against ε (table and PNG plot), and a check that
/// the adversarial PNG, scored by the stock ML.NET pipeline of <c>classify</c>, keeps the fooled prediction.
/// </summary>
public sealed class AdversarialStudy(DifferentiableClassifier classifier, ImageClassifier stockClassifier)
{
    /// <summary>
    /// Attacks every image in <paramref name="imagePaths"/> at every ε with the chosen method (and, for the success-rate curve,
    /// with one-step FGSM as well when the method is PGD); the first image's examples are shown in full.
    /// </summary>
    public AdversarialStudyResult Run(IReadOnlyList<string> imagePaths, IReadOnlyList<float> epsilons, AdversarialOptions options,
        string folder, IProgress<ProgressUpdate>? progress = null)
    {
        if (imagePaths.Count == 0) throw new ArgumentException("no images to attack");
        Directory.CreateDirectory(folder);
        var rows = new List<AdversarialStudyRow>();
        var methods = options.Method == AttackMethod.Pgd ? new[] { AttackMethod.Pgd, AttackMethod.Fgsm } : [options.Method];
        int total = imagePaths.Count * epsilons.Count * methods.Length, done = 0;
        foreach (string path in imagePaths)
        {
            using var pixels = classifier.LoadPixels(path);
            foreach (var method in methods)
                foreach (float epsilon in epsilons)
                {
                    var example = AdversarialAttack.Run(classifier, pixels, options.With(epsilon, method));
                    rows.Add(new AdversarialStudyRow(path, epsilon, example));
                    progress?.Report(new ProgressUpdate($"attack ({method.ToString().ToUpperInvariant()})", ++done, total));
                }
        }
        var shown = rows.Where(r => r.ImagePath == imagePaths[0] && r.Example.Options.Method == options.Method).ToList();
        var checks = SaveAndRescore(shown, folder);
        return new AdversarialStudyResult(rows, checks, options, epsilons);
    }

    /// <summary>Writes the report into <paramref name="folder"/>; returns its path.</summary>
    public string WriteReport(AdversarialStudyResult result, string folder)
    {
        var classes = classifier.Classes;
        var md = new StringBuilder($"# Adversarial examples: {classifier.Card.Name}\n\n");
        md.Append($"Attack: {result.Options.Describe(classes, withEpsilon: false)}; budgets ε ∈ {{{string.Join(", ", result.Epsilons.Select(e => e.ToString("g", CultureInfo.InvariantCulture)))}}} ")
          .Append($"in pixel units of the 0–255 image. {result.Rows.Select(r => r.ImagePath).Distinct().Count()} image(s).\n\n");

        md.Append("## One image under attack\n\n");
        foreach (var check in result.Checks)
        {
            var e = check.Row.Example;
            md.Append($"### ε = {check.Row.Epsilon:g}\n\n![{Path.GetFileName(check.FigurePath)}]({Path.GetFileName(check.FigurePath)})\n\n");
            var table = new MarkdownTable("Rank", "Before", "After").AlignRight(0);
            for (int i = 0; i < 3; i++)
                table.Add(i + 1, Describe(e.Before[i]), Describe(e.After[i]));
            md.Append(table).Append('\n');
            md.Append($"L∞ = {e.LInf:0.#}, L2 = {e.L2:0.#} (pixel units). {(e.Success ? "**Fooled**" : "Not fooled")}: top-1 {classes[e.OriginalClass]} → {classes[e.AdversarialClass]}. ")
              .Append($"Saved as [{Path.GetFileName(check.PngPath)}]({Path.GetFileName(check.PngPath)}) (lossless); `classify` on that PNG (stock ML.NET pipeline) gives ")
              .Append($"**{check.StockTop1}** ({ReportFormat.Percent(check.StockProbability)}){(check.StockAgrees ? ", the fooled prediction" : ", which differs from the attack's own prediction")}.\n\n");
        }

        md.Append("## Success rate against ε\n\n");
        var rates = result.SuccessRates();
        var rateTable = new MarkdownTable("Method", "ε (pixels)", "ε (fraction)", "Images", "Fooled", "Success rate", "Mean L2").AlignRight(1, 2, 3, 4, 5, 6);
        foreach (var (method, epsilon, rate, count, fooled, meanL2) in rates)
            rateTable.Add(method.ToString().ToUpperInvariant(), epsilon.ToString("g", CultureInfo.InvariantCulture), $"{epsilon / 255:0.####}", count, fooled,
                ReportFormat.Percent(rate), $"{meanL2:0.#}");
        md.Append(rateTable).Append('\n');
        if (result.Epsilons.Count > 1)
        {
            var series = rates.GroupBy(r => r.Method).Select(g => new LineSeries(g.Key.ToString().ToUpperInvariant(),
                g.Select(r => (double)r.Epsilon).ToList(), g.Select(r => 100 * r.Rate).ToList())).ToList();
            var chart = new LineChart(series)
            {
                Title = "Attack success rate", XLabel = "ε (pixel units of 0–255)", YLabel = "success rate (%)",
                YRange = new AxisRange(0, 100), ShowMarkers = true,
            };
            PlotRenderer.Save(chart, Path.Combine(folder, "success-rate.png"), 640, 400);
            md.Append("![success rate against epsilon](success-rate.png)\n\n");
        }

        var perImage = new MarkdownTable("Image", "Method", "ε", "Before", "After", "L∞", "L2", "Result").AlignRight(2, 5, 6);
        foreach (var row in result.Rows)
            perImage.Add(Path.GetFileName(row.ImagePath), row.Example.Options.Method.ToString().ToUpperInvariant(), row.Epsilon.ToString("g", CultureInfo.InvariantCulture), Describe(row.Example.Before[0]),
                Describe(row.Example.After[0]), $"{row.Example.LInf:0.#}", $"{row.Example.L2:0.#}", row.Example.Success ? "fooled" : "—");
        md.Append("## Every attack\n\n").Append(perImage).Append('\n');
        string path = Path.Combine(folder, "report.md");
        AtomicFile.WriteAllText(path, md.ToString());
        return path;
    }

    private List<AdversarialCheck> SaveAndRescore(IReadOnlyList<AdversarialStudyRow> rows, string folder)
    {
        var checks = new List<AdversarialCheck>();
        foreach (var row in rows)
        {
            var e = row.Example;
            string stem = $"{Path.GetFileNameWithoutExtension(row.ImagePath)}-eps{row.Epsilon.ToString("g", CultureInfo.InvariantCulture)}";
            string png = Path.Combine(folder, $"{stem}-adversarial.png");
            using (var bitmap = e.Adversarial.ToBitmap())
                ExampleGrid.SavePng(bitmap, png);
            var stock = stockClassifier.Classify([png], 1).Predictions[0].Best;
            string figure = Path.Combine(folder, $"{stem}.png");
            ExampleGrid.Write(figure,
            [
                new ExampleGrid.Tile(null, e.Original, ["original", Describe(e.Before[0])]),
                new ExampleGrid.Tile(null, e.Adversarial, ["adversarial", Describe(e.After[0])], e.Success ? SKColors.Firebrick : null),
                new ExampleGrid.Tile(null, e.AmplifiedPerturbation(), [$"perturbation ×{255 / (2 * Math.Floor(row.Epsilon)):0.#}", $"L∞ {e.LInf:0.#}, L2 {e.L2:0.#}"]),
            ], columns: 3, tileSize: 224);
            checks.Add(new AdversarialCheck(row, png, figure, stock.Name, stock.Probability, stock.Index == e.AdversarialClass));
        }
        return checks;
    }

    private static string Describe(ClassProbability c) => $"{c.Name} {ReportFormat.Percent(c.Probability)}";

}

/// <summary>One image attacked at one budget.</summary>
public sealed record AdversarialStudyRow(string ImagePath, float Epsilon, AdversarialExample Example);

/// <summary>An adversarial PNG and what the stock ML.NET classifier says about it.</summary>
public sealed record AdversarialCheck(AdversarialStudyRow Row, string PngPath, string FigurePath, string StockTop1, float StockProbability, bool StockAgrees);

/// <summary>Every attack of a study, with the saved-PNG checks of the first image.</summary>
public sealed record AdversarialStudyResult(IReadOnlyList<AdversarialStudyRow> Rows, IReadOnlyList<AdversarialCheck> Checks,
    AdversarialOptions Options, IReadOnlyList<float> Epsilons)
{
    /// <summary>Per method and ε: the fraction of images fooled, the counts, and the mean L2 norm.</summary>
    public IReadOnlyList<(AttackMethod Method, float Epsilon, double Rate, int Count, int Fooled, double MeanL2)> SuccessRates() =>
        Rows.GroupBy(r => (r.Example.Options.Method, r.Epsilon)).OrderBy(g => g.Key.Method).ThenBy(g => g.Key.Epsilon)
            .Select(g => (g.Key.Method, g.Key.Epsilon, g.Count(r => r.Example.Success) / (double)g.Count(), g.Count(),
                g.Count(r => r.Example.Success), g.Average(r => r.Example.L2)))
            .ToList();
}
