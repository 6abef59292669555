using System.Text;
using System.Text.Json;
using MLPipelines.Evaluation;
using MLPipelines.Evaluation.LabelIssues;
using MLPipelines.Experiments;
using MLPipelines.Pipelines;
using MLPipelines.Reports;
using MLPipelines.Reports.Plots;

namespace MLPipelines.Torch.Experiments.ImbalancedNoisy;

/// <summary>Writes report.md, metrics.json and the plots of an imbalanced-noisy run, with the issue's targets marked met or not met.</summary>
internal sealed class ImbalancedNoisyReport(ImbalancedNoisyDefinition definition, int seed, bool quick, int epochs,
    string modelDescription, string networkDescription, string fineTuneDescription, string runFolder)
{
    /// <summary>Balanced training must lift test cat recall to at least this.</summary>
    public const double CatRecallTarget = 0.5;

    /// <summary>Label-issue detection must reach this precision …</summary>
    public const double PrecisionTarget = 0.7;

    /// <summary>… at least at this recall.</summary>
    public const double RecallTarget = 0.5;

    /// <summary>The reference's second-network relabelling at 0.999: it changed 57 car labels, 10 of them real cars, and found 5 of 11 cats.</summary>
    public static readonly RelabellingAudit Reference = new(Changed: 57, WronglyChanged: 10, Hidden: 11, Found: 5);

    private readonly string _plots = Path.Combine(runFolder, "plots");

    /// <summary>Readable name of a flagging method.</summary>
    public static string MethodName(LabelIssueMethod method) => method switch
    {
        LabelIssueMethod.ConfidentJoint => "confident joint (off-diagonal)",
        LabelIssueMethod.PruneByNoiseRate => "prune by noise rate",
        LabelIssueMethod.PruneByClass => "prune by class",
        _ => "both (noise rate ∩ class)",
    };

    private static string BalancingName(ClassBalancing balancing) => balancing switch
    {
        ClassBalancing.None => "plain cross-entropy",
        ClassBalancing.Sampler => "class-balanced sampler",
        _ => "class-weighted loss",
    };

    private string Short(string name) => name == "automobile" ? "car" : name;

    public PipelineRun Write(string commandLine, ExperimentData data, IReadOnlyList<ModelEvaluation> balancing, IReadOnlyList<SweepPoint> sweep,
        LabelIssueResults issues, IReadOnlyList<ModelEvaluation> retrained, IReadOnlyList<(string Phase, TimeSpan Time)> phases, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        var classes = data.Classes;
        string description = definition.Description.Length > 0 ? definition.Description
            : "Cars, trucks and cats from CIFAR-10 with the reference's imbalance and injected label noise: what class balancing does, " +
              "a learning-rate sweep with divergence detection, and confident-learning label-issue detection against the reference's second-network relabelling.";
        ReportHeader.Append(md, $"{definition.Name}: imbalanced and mislabelled data", description, runFolder, seed, quick, elapsed, commandLine);

        AppendData(md, data);
        md.Append("## Model\n\n").Append(modelDescription).Append(". Every run below uses this network and budget (except the fold models and the ")
          .Append("second network of the label-issue part, see there); they differ only in their labels, images and class balancing.\n\n");
        var (catRecallMet, naiveCat, bestCat) = AppendBalancing(md, data, balancing);
        AppendSweep(md, sweep);
        var (detectionMet, detection, audits) = AppendLabelIssues(md, data, issues);
        AppendRetraining(md, retrained);

        md.Append("## Time\n\n");
        var time = new MarkdownTable("Phase", "Time").AlignRight(1);
        foreach (var (phase, t) in phases) time.Add(phase, ReportFormat.Duration(t));
        time.Add("**total**", ReportFormat.Duration(elapsed));
        md.Append(time).Append('\n');

        string reportPath = Path.Combine(runFolder, "report.md");
        AtomicFile.WriteAllText(reportPath, md.ToString());
        WriteMetrics(data, balancing, sweep, issues, retrained, detection, audits, catRecallMet, detectionMet, elapsed);
        WriteOutOfFold(data, issues);
        IReadOnlyList<string> Row(ModelEvaluation m) =>
            [m.Name, ReportFormat.Percent(m.Test.Accuracy), ReportFormat.Number(m.Test.MacroF1), ReportFormat.Percent(CatRecall(m.Test))];
        return new PipelineRun(runFolder, reportPath, elapsed, ["Model", "Test acc.", "Test macro-F1", "Test cat recall"],
            [.. balancing.Select(Row), .. retrained.Skip(1).Select(Row)]);
    }

    // The class whose recall the target is about: cat, or the last (rarest by default) class when cats are not in the selection.
    private static int CatIndex(IReadOnlyList<string> classes)
    {
        int index = classes.ToList().IndexOf("cat");
        return index >= 0 ? index : classes.Count - 1;
    }

    private double CatRecall(ClassificationMetrics m) => m.PerClass[CatIndex(m.Classes)].Recall;

    private void AppendData(StringBuilder md, ExperimentData data)
    {
        var classes = data.Classes;
        md.Append("## Data\n\n");
        md.Append($"CIFAR-10 (`../shared/datasets/cifar10/cifar10-jpg.tar.gz`), classes {string.Join(", ", classes)}: the **first** images of each class " +
                  "in the original CIFAR-10 order (file numbers 0000, 0001, …), so the selection is fixed. The copy is JPEG quality 75, so it is " +
                  "**lossy** (mean absolute error about 6/255 against the original pixels). " +
                  $"A stratified (by given label), seeded {definition.Data.ValidationFraction:P0} of the training images is held out for validation; " +
                  "models train on the rest. Test labels are clean.\n\n");
        var counts = new MarkdownTable("Class", "Train", "share", "labelled as another class (injected)", "Validation", "Test").AlignRight(1, 2, 3, 4, 5);
        int total = data.TrainCounts.Sum();
        for (int c = 0; c < classes.Count; c++)
        {
            int wrong = Enumerable.Range(0, data.Labels.True.Count).Count(i => data.Labels.True[i] == c && data.Labels.IsNoisy(i));
            int validation = data.ValidationIndices.Count(i => data.Labels.Given[i] == c);
            counts.Add(classes[c], data.TrainCounts[c], ReportFormat.Percent((double)data.TrainCounts[c] / total), wrong, validation, data.TestCounts[c]);
        }
        md.Append(counts).Append('\n');
        md.Append("**Injected noise** (training images only, seeded; the true labels are kept aside for scoring): ");
        md.Append(string.Join("; ", definition.Noise.Select(r =>
        {
            int from = classes.ToList().IndexOf(r.From), to = classes.ToList().IndexOf(r.To);
            return $"{r.Fraction:P0} of the {r.From} images labelled {r.To} ({data.Labels.Count(from, to)} images)";
        })));
        md.Append($". In all {data.Labels.NoisyIndices().Count} of {data.Labels.True.Count} training labels are wrong. The rate is chosen so that " +
                  "there are enough wrong labels to measure detection precision and recall, and matches the reference's story (cats hidden among cars).\n\n");
    }

    private (bool Met, double NaiveCat, double BestCat) AppendBalancing(StringBuilder md, ExperimentData data, IReadOnlyList<ModelEvaluation> models)
    {
        var classes = data.Classes;
        md.Append("## Naive training collapses towards \"car\"; balancing brings the cats back\n\n");
        md.Append("Trained on the noisy labels of the training split. Test metrics use the clean test labels; validation uses the given (noisy) labels.\n\n");
        var table = new MarkdownTable(["Model", "How", "Test acc.", "Test macro-F1", .. classes.Select(c => $"Test recall {Short(c)}"), "Validation macro-F1", "Time"])
            .AlignRight([.. Enumerable.Range(2, classes.Count + 4)]);
        foreach (var m in models)
            table.Add([m.Name, m.Description, ReportFormat.Percent(m.Test.Accuracy), ReportFormat.Number(m.Test.MacroF1),
                .. m.Test.PerClass.Select(c => (object)ReportFormat.Percent(c.Recall)), ReportFormat.Number(m.Validation.MacroF1), ReportFormat.Duration(m.Time)]);
        md.Append(table).Append('\n');
        double naiveCat = CatRecall(models[0].Test);
        var best = models.Skip(1).MaxBy(m => CatRecall(m.Test))!;
        double bestCat = CatRecall(best.Test);
        bool met = bestCat >= CatRecallTarget;
        md.Append($"Accuracy hides the problem: predicting \"car\" for everything scores {ReportFormat.Percent((double)data.TestCounts[0] / data.TestCounts.Sum())} on this test set. " +
                  $"**Target: balanced training raises test cat recall from ~0 to ≥ {CatRecallTarget * 100:0}% — {(met ? "met" : "NOT met")}** " +
                  $"(naive {ReportFormat.Percent(naiveCat)}, {best.Name} {ReportFormat.Percent(bestCat)}).\n\n");
        foreach (var m in models)
        {
            string slug = m.Name.Replace(' ', '-').Replace("(", "").Replace(")", "");
            md.Append($"### Confusion matrices: {m.Name}\n\n");
            md.Append("Rows: label (train: the given, noisy label; test: the true label); columns: predicted.\n\n");
            md.Append("| | ").Append(string.Join(" | ", classes.Select(c => $"train → {Short(c)}"))).Append(" | ")
              .Append(string.Join(" | ", classes.Select(c => $"test → {Short(c)}"))).Append(" |\n");
            md.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", 2 * classes.Count))).Append('\n');
            for (int r = 0; r < classes.Count; r++)
            {
                md.Append($"| **{Short(classes[r])}** | ");
                md.Append(string.Join(" | ", Enumerable.Range(0, classes.Count).Select(c => m.Train.ConfusionMatrix[r, c]))).Append(" | ");
                md.Append(string.Join(" | ", Enumerable.Range(0, classes.Count).Select(c => m.Test.ConfusionMatrix[r, c]))).Append(" |\n");
            }
            md.Append('\n');
            var names = classes.Select(Short).ToList();
            PlotRenderer.Save(new ChartGrid([
                HeatmapChart.ConfusionMatrix(m.Train.ConfusionMatrix, names) with { Title = $"train (given labels), acc. {ReportFormat.Percent(m.Train.Accuracy)}" },
                HeatmapChart.ConfusionMatrix(m.Test.ConfusionMatrix, names) with { Title = $"test, macro-F1 {ReportFormat.Number(m.Test.MacroF1)}" }])
            { Title = m.Name, Columns = 2 }, Path.Combine(_plots, $"confusion-{slug}.png"), 1200, 520);
            md.Append($"![confusion matrices: {m.Name}](plots/confusion-{slug}.png)\n\n");
        }
        return (met, naiveCat, bestCat);
    }

    private void AppendSweep(StringBuilder md, IReadOnlyList<SweepPoint> sweep)
    {
        md.Append("## Learning-rate sweep\n\n");
        int sweepEpochs = sweep[0].EpochLosses.Count;
        md.Append($"Plain cross-entropy on the training split, constant rate (SGD momentum 0.9), {sweepEpochs} epoch(s) per rate from the same initial weights. " +
                  $"A run is **diverged** when a loss is NaN or infinite or its final loss exceeds {definition.LrSweep.DivergenceFactor:g3}× the untrained network's " +
                  "loss; it is reported and plotted as diverged, never as a loss value.\n\n");
        var table = new MarkdownTable("Learning rate", "Initial loss", "Final training loss", "Per-epoch losses", "Time").AlignRight(0, 1, 2, 4);
        foreach (var p in sweep)
            table.Add(p.LearningRate.ToString("g3"), ReportFormat.Number(p.InitialLoss), p.Diverged ? "**diverged**" : ReportFormat.Number(p.FinalLoss, "0.0000"),
                string.Join(", ", p.EpochLosses.Select(l => l.ToString("g3"))), ReportFormat.Duration(p.Time));
        md.Append(table).Append('\n');

        double initial = sweep[0].InitialLoss;
        double limit = definition.LrSweep.DivergenceFactor * initial;
        var rates = sweep.Select(p => p.LearningRate).ToList();
        var series = new List<LineSeries>
        {
            new("final training loss", rates, [.. sweep.Select(p => p.Diverged ? double.NaN : p.FinalLoss)]) { ShowMarkers = true },
            new($"initial loss ({initial:0.00})", [rates.Min(), rates.Max()], [initial, initial]),
            new($"divergence limit ({definition.LrSweep.DivergenceFactor:g3}× initial)", [rates.Min(), rates.Max()], [limit, limit]),
        };
        // Each diverged rate is a lone marker on the limit line (one series per point, so no line joins them).
        var diverged = sweep.Where(p => p.Diverged).ToList();
        for (int i = 0; i < diverged.Count; i++)
            series.Add(new LineSeries(i == 0 ? "diverged (NaN or exploding)" : "", [diverged[i].LearningRate], [limit]) { ShowMarkers = true });
        PlotRenderer.Save(new LineChart(series)
        {
            Title = "Final training loss against learning rate", XLabel = "learning rate (log)", YLabel = "training loss (log)", LogX = true, LogY = true,
        }, Path.Combine(_plots, "lr-sweep.png"), 900, 500);
        md.Append("![learning-rate sweep](plots/lr-sweep.png)\n\n");
        if (diverged.Count > 0)
            md.Append($"Diverged: {string.Join(", ", diverged.Select(p => p.LearningRate.ToString("g3")))} (drawn as markers on the limit line).\n\n");
    }

    private string FoldModelDescription(LabelIssueResults issues)
    {
        var settings = definition.LabelIssues;
        string Member(ImbalancedNoisyDefinition.FoldModelKind kind) => kind switch
        {
            ImbalancedNoisyDefinition.FoldModelKind.Convnet => ConvNetFoldDescription(),
            ImbalancedNoisyDefinition.FoldModelKind.FrozenFeatures => FrozenFoldDescription(issues),
            _ => FineTuneFoldDescription(),
        };
        if (settings.FoldModel != ImbalancedNoisyDefinition.FoldModelKind.Ensemble) return Member(settings.FoldModel);
        var parts = settings.Ensemble.Select((kind, i) => $"({(char)('a' + i)}) {Member(kind)}").ToList();
        return $"**an ensemble** (`label-issues.fold-model: ensemble`, `ensemble: [{string.Join(", ", settings.Ensemble.Select(YamlName))}]`): on the same folds, " +
               string.Join("; ", parts) + $". Each image's out-of-fold probabilities are the mean of the {parts.Count} members' for it; each comes from " +
               "the member's model of the image's own fold, so the mean too comes only from models that never saw the image";
    }

    private static string YamlName(ImbalancedNoisyDefinition.FoldModelKind kind) => ImbalancedNoisyRun.MemberName(kind).Replace(' ', '-');

    private string FineTuneFoldDescription()
    {
        string key = definition.LabelIssues.FoldModel == ImbalancedNoisyDefinition.FoldModelKind.FineTune ? " (`label-issues.fold-model: fine-tune`)" : "";
        return $"**a fine-tuned ImageNet network per fold**{key}: {fineTuneDescription}";
    }

    private string ConvNetFoldDescription() => $"{networkDescription} ({BalancingName(definition.LabelIssues.Balancing)})";

    private string FrozenFoldDescription(LabelIssueResults issues)
    {
        var frozen = definition.LabelIssues.FrozenFeatures;
        string chosen = string.Join(", ", issues.FoldSettings.Distinct());
        string key = definition.LabelIssues.FoldModel == ImbalancedNoisyDefinition.FoldModelKind.FrozenFeatures ? " (`label-issues.fold-model: frozen-features`)" : "";
        return $"**frozen ImageNet features + a linear classifier per fold**{key}: the 32×32 images " +
               $"upsampled (bilinear) to {frozen.ImageSize}×{frozen.ImageSize}, `{frozen.Backbone}` features (ONNX Runtime, computed once for all " +
               $"training images{(frozen.FlipAverage ? ", each averaged with its mirror image's" : "")}), then ML.NET {MLPipelines.Training.ClassicTrainerGrid.DisplayName(frozen.Trainer)} per fold on standardized features, " +
               $"its grid point chosen on a stratified tenth of the fold's training images (chosen: {chosen}), then refitted on all of them";
    }

    private (bool Met, DetectionScore Chosen, IReadOnlyDictionary<string, RelabellingAudit> Audits) AppendLabelIssues(StringBuilder md, ExperimentData data, LabelIssueResults issues)
    {
        var classes = data.Classes;
        var settings = definition.LabelIssues;
        int folds = quick ? definition.Quick.Folds : settings.Folds;
        var isNoisy = Enumerable.Range(0, data.Labels.True.Count).Select(data.Labels.IsNoisy).ToList();
        md.Append("## Label-issue detection (confident learning)\n\n");
        md.Append($"Out-of-fold probabilities: stratified (by given label), seeded {folds}-fold cross-validation over all {data.Labels.True.Count} training " +
                  $"images; each fold's model scores only the images it did not see. Fold model: {FoldModelDescription(issues)}.\n\n");
        var quality = new MarkdownTable(["Out-of-fold arg-max against", "Accuracy", "Macro-F1", .. classes.Select(c => $"recall {Short(c)}")])
            .AlignRight([.. Enumerable.Range(1, classes.Count + 2)]);
        foreach (var (name, m) in new[] { ("given (noisy) labels", issues.FoldQuality.AgainstGiven), ("true labels", issues.FoldQuality.AgainstTruth) })
            quality.Add([name, ReportFormat.Percent(m.Accuracy), ReportFormat.Number(m.MacroF1), .. m.PerClass.Select(c => ReportFormat.Percent(c.Recall))]);
        md.Append(quality).Append('\n');
        var isNoisyList = (IReadOnlyList<bool>)isNoisy;
        if (issues.FoldModels.Members.Count > 1) AppendFoldModelComparison(md, data, issues, isNoisyList);
        md.Append("Then confident learning (Northcutt et al., JAIR 2021) as cleanlab 2.x's `find_label_issues` does it: t_j = mean predicted probability " +
                  "of class j over the images labelled j; class j is *confident* for an image when p_j ≥ t_j (with several confident classes the arg-max " +
                  "counts, with none the image is not counted); the confident joint C[i, j] counts images labelled i whose confident class is j. " +
                  "*Confident joint* (cleanlab `confident_learning`) flags every image counted off the diagonal. Calibration raises the diagonal to ≥ 1 and " +
                  "rescales row i to the n_i images labelled i (rounded preserving the row total); *prune by noise rate* flags, for each off-diagonal " +
                  "cell Ĉ[i, j], that many images labelled i with the largest margin p_j − p_i; *prune by class* flags the n_i − Ĉ[i, i] images labelled i " +
                  "with the smallest p_i; *both* is their intersection. Last, as in cleanlab, no image whose arg-max is its given label stays flagged. " +
                  $"The retraining below uses **{MethodName(settings.Method)}**.\n\n");
        md.Append("Thresholds: ").Append(string.Join(", ", classes.Select((c, j) => $"t_{Short(c)} = {issues.Learning.Thresholds[j]:0.000}"))).Append(".\n\n");
        var joint = new MarkdownTable(["given \\ confident", .. classes.Select(Short), "not counted", "truly mislabelled"]).AlignRight([.. Enumerable.Range(1, classes.Count + 2)]);
        for (int i = 0; i < classes.Count; i++)
        {
            int row = i;
            var labelled = Enumerable.Range(0, data.Labels.Given.Count).Where(x => data.Labels.Given[x] == row).ToList();
            joint.Add([Short(classes[i]), .. Enumerable.Range(0, classes.Count).Select(j => (object)issues.Learning.Joint[row, j]),
                labelled.Count(x => issues.Learning.ConfidentClass[x] < 0), labelled.Count(x => isNoisy[x])]);
        }
        md.Append(joint).Append('\n');

        var baselineFlags = data.Labels.Given.Select((l, i) => issues.BaselineLabels[i] != l).ToList();
        var detection = new MarkdownTable("Method", "Flagged", "of which mislabelled", "Precision", "Recall").AlignRight(1, 2, 3, 4);
        foreach (var (method, flags) in issues.Flags)
        {
            var s = DetectionScore.Compute(flags, isNoisy);
            string name = method == settings.Method ? $"**{MethodName(method)}**" : MethodName(method);
            detection.Add(name, s.Flagged, s.TruePositives, ReportFormat.Number(s.Precision), ReportFormat.Number(s.Recall));
        }
        var b = DetectionScore.Compute(baselineFlags, isNoisy);
        detection.Add($"second network ≥ {settings.BaselineThreshold:0.###} (reference baseline)", b.Flagged, b.TruePositives, ReportFormat.Number(b.Precision), ReportFormat.Number(b.Recall));
        if (issues.FeatureBaselineLabels is { } featureLabels)
        {
            var fb = DetectionScore.Compute(data.Labels.Given.Select((l, i) => featureLabels[i] != l).ToList(), isNoisy);
            detection.Add($"frozen-features classifier ≥ {settings.BaselineThreshold:0.###} (in-sample; not the reference's method)", fb.Flagged, fb.TruePositives,
                ReportFormat.Number(fb.Precision), ReportFormat.Number(fb.Recall));
        }
        // A point of the ranking's precision-recall curve, for comparison with the flagged sets: every image ranked by cleanlab's
        // label quality score (normalized margin), cut where recall first reaches the target. The cut uses the true labels, so it
        // is a measure of the ranking, not a flag set a user could compute.
        var curve = RankingCurve.Compute(issues.Learning, isNoisy, LabelQualityScore.NormalizedMargin);
        int cut = curve.CutAtRecall(RecallTarget);
        var rankedFlags = new bool[isNoisy.Count];
        foreach (int i in curve.Order.Take(cut)) rankedFlags[i] = true;
        var r = DetectionScore.Compute(rankedFlags, isNoisy);
        detection.Add($"ranking by normalized margin, top {cut} (cut at recall {RecallTarget} with the true labels: a precision-at-recall point, not a flag set)",
            r.Flagged, r.TruePositives, ReportFormat.Number(r.Precision), ReportFormat.Number(r.Recall));
        md.Append($"Against the {isNoisy.Count(n => n)} injected errors:\n\n").Append(detection).Append('\n');
        var chosen = DetectionScore.Compute(issues.Flags[settings.Method], isNoisy);
        bool met = chosen.Precision >= PrecisionTarget && chosen.Recall >= RecallTarget;
        md.Append($"**Target: precision ≥ {PrecisionTarget} at recall ≥ {RecallTarget} — {(met ? "met" : "NOT met")}** ({MethodName(settings.Method)}: " +
                  $"precision {ReportFormat.Number(chosen.Precision)}, recall {ReportFormat.Number(chosen.Recall)}).\n\n");
        AppendPrecisionRecallPlot(md, issues, isNoisy);

        // Which confusions the flags come from: the given label against the class the fold models preferred.
        var chosenFlags = issues.Flags[settings.Method];
        var argMax = issues.Learning.ArgMaxClasses();
        var cells = new MarkdownTable("Given label", "Out-of-fold arg-max", "Flagged", "truly of the arg-max class", "truly of the given class (clean)", "other").AlignRight(2, 3, 4, 5);
        foreach (var cell in Enumerable.Range(0, chosenFlags.Length).Where(i => chosenFlags[i])
                     .GroupBy(i => (Given: data.Labels.Given[i], Suggested: argMax[i])).OrderBy(g => g.Key.Given).ThenBy(g => g.Key.Suggested))
            cells.Add(Short(classes[cell.Key.Given]), Short(classes[cell.Key.Suggested]), cell.Count(),
                cell.Key.Suggested == cell.Key.Given ? "—" : cell.Count(i => data.Labels.True[i] == cell.Key.Suggested).ToString(),
                cell.Count(i => data.Labels.True[i] == cell.Key.Given),
                cell.Count(i => data.Labels.True[i] != cell.Key.Suggested && data.Labels.True[i] != cell.Key.Given));
        md.Append($"Where the {MethodName(settings.Method)} flags come from:\n\n").Append(cells).Append('\n');

        var audits = new Dictionary<string, RelabellingAudit>();
        if (definition.Noise.Count > 0)
        {
            var rule = definition.Noise[0];
            int givenClass = definition.ClassIndex(rule.To, "noise 'to'"), hidden = definition.ClassIndex(rule.From, "noise 'from'");
            string g = Short(rule.To), h = Short(rule.From);
            audits["reference (its data, 0.999)"] = Reference;
            var second = RelabellingAudit.Compute(data.Labels.Given, data.Labels.True, issues.BaselineLabels, givenClass, hidden);
            audits[$"second network ≥ {settings.BaselineThreshold:0.###} (this data)"] = second;
            if (issues.FeatureBaselineLabels is { } featureRelabelled)
                audits[$"frozen-features classifier ≥ {settings.BaselineThreshold:0.###} (this data, in-sample; not the reference's method)"] =
                    RelabellingAudit.Compute(data.Labels.Given, data.Labels.True, featureRelabelled, givenClass, hidden);
            var ours = RelabellingAudit.Compute(data.Labels.Given, data.Labels.True, issues.Relabelled, givenClass, hidden);
            audits[$"confident learning, {MethodName(settings.Method)} → arg-max"] = ours;
            md.Append($"### Against the reference's second-network relabelling\n\n");
            md.Append($"The reference relabelled with a second network's confidence and failed: at a 0.999 threshold it {Reference.Describe(g, h)}. " +
                      $"The same baseline is run here on the same data as confident learning: a second network ({networkDescription}; other seed, " +
                      $"{BalancingName(settings.Balancing)}) trained on all noisy training images relabels every image whose arg-max class differs from its " +
                      $"label with probability ≥ {settings.BaselineThreshold:0.###}." +
                      (issues.FeatureBaselineLabels is null ? "" : " Beside it, clearly not the reference's method, the same threshold rule applied to the " +
                          "frozen-features classifier fitted on all noisy training images (its probabilities are in-sample).") + "\n\n");
            var auditTable = new MarkdownTable("Relabelling", $"{g} labels changed", $"of which real {g}s (made wrong)", $"{h}s hidden among {g}s",
                $"{h}s found", "In the reference's words").AlignRight(1, 2, 3, 4);
            foreach (var (name, a) in audits)
                auditTable.Add(name, a.Changed, a.WronglyChanged, a.Hidden, a.Found, a.Describe(g, h));
            md.Append(auditTable).Append('\n');
            static double WrongShare(RelabellingAudit a) => a.Changed == 0 ? 0 : (double)a.WronglyChanged / a.Changed;
            static double FoundShare(RelabellingAudit a) => a.Hidden == 0 ? double.NaN : (double)a.Found / a.Hidden;
            // The reference's counts come from other data (11 hidden cats), so it is compared by rates; the baseline re-run here sees the
            // same images as confident learning, so it is compared by counts.
            bool beat = BeatsReference(ours);
            bool beatHere = ours.WronglyChanged <= second.WronglyChanged && ours.Found > second.Found;
            md.Append($"**Beat the reference: {(beat ? "yes" : "NO")}** (by rates, since its data differ: fewer of the {g} relabels wrong and more of the hidden " +
                      $"{h}s found) — confident learning made {ReportFormat.Percent(WrongShare(ours))} of its {g} relabels wrong " +
                      $"(reference {ReportFormat.Percent(WrongShare(Reference))}) and found {ReportFormat.Percent(FoundShare(ours))} of the hidden {h}s " +
                      $"(reference {ReportFormat.Percent(FoundShare(Reference))}). **Against the same baseline on this data: {(beatHere ? "better" : "NOT better")}** " +
                      $"(by counts: no more real {g}s made wrong, more {h}s found) — {ours.WronglyChanged} against {second.WronglyChanged} real {g}s made wrong, " +
                      $"{ours.Found} against {second.Found} {h}s found.\n\n");
            AppendThresholdRelabelling(md, data, issues, givenClass, hidden, g, h, isNoisy);
        }
        return (met, chosen, audits);
    }

    /// <summary>Each fold model alone and their mean, on the same folds: out-of-fold quality and detection by every method.</summary>
    private void AppendFoldModelComparison(StringBuilder md, ExperimentData data, LabelIssueResults issues, IReadOnlyList<bool> isNoisy)
    {
        var classes = data.Classes;
        var methods = Enum.GetValues<LabelIssueMethod>();
        md.Append($"Each fold model alone{(issues.FoldModels.Members.Count > 2 ? ", the mean of each pair" : "")} and the ensemble (same folds, same confident learning; precision / recall against the injected errors; the last column " +
                  $"is the normalized-margin ranking's precision where its recall first reaches {RecallTarget}, a cut made with the true labels):\n\n");
        var table = new MarkdownTable(["Out-of-fold probabilities", "acc. (true labels)", .. classes.Select(c => $"recall {Short(c)}"),
            .. methods.Select(MethodName), "ranking at recall 0.5"]).AlignRight([.. Enumerable.Range(1, classes.Count + methods.Length + 2)]);
        var rows = issues.FoldModels.Names.Zip(issues.FoldModels.Members, (n, m) => (Name: n, Probabilities: (IReadOnlyList<float[]>)m)).ToList();
        // With three or more members, every pair's mean too, so each member's contribution to the ensemble can be read off.
        int count = issues.FoldModels.Members.Count;
        if (count > 2)
            for (int a = 0; a < count; a++)
                for (int b = a + 1; b < count; b++)
                    rows.Add(($"mean of {issues.FoldModels.Names[a]} and {issues.FoldModels.Names[b]}",
                        MeanOfTwo(issues.FoldModels.Members[a], issues.FoldModels.Members[b])));
        rows.Add(("**ensemble (mean)**", issues.OutOfFold));
        foreach (var (name, probabilities) in rows)
        {
            var truth = ClassificationMetrics.Compute(probabilities, data.Labels.True, classes);
            var learning = ConfidentLearning.Compute(probabilities, data.Labels.Given, classes.Count);
            var curve = RankingCurve.Compute(learning, isNoisy, LabelQualityScore.NormalizedMargin);
            table.Add([name, ReportFormat.Percent(truth.Accuracy), .. truth.PerClass.Select(c => (object)ReportFormat.Percent(c.Recall)),
                .. methods.Select(m => (object)PrecisionRecall(DetectionScore.Compute(learning.Flags(m), isNoisy))),
                ReportFormat.Number(curve.Precision[curve.CutAtRecall(RecallTarget) - 1])]);
        }
        md.Append(table).Append('\n');
    }

    /// <summary>Per image, the mean of two members' distributions, renormalized against rounding as <see cref="OutOfFoldEnsemble"/> does.</summary>
    private static float[][] MeanOfTwo(float[][] first, float[][] second) =>
    [
        .. first.Zip(second, (p, q) =>
        {
            var sum = p.Zip(q, (x, y) => (double)x + y).ToArray();
            double total = sum.Sum();
            return sum.Select(v => (float)(v / total)).ToArray();
        }),
    ];

    private static string PrecisionRecall(DetectionScore s) => $"{ReportFormat.Number(s.Precision)} / {ReportFormat.Number(s.Recall)}";

    /// <summary>Precision against recall of the rankings by normalized margin and self-confidence, the flag sets and the target point.</summary>
    private void AppendPrecisionRecallPlot(StringBuilder md, LabelIssueResults issues, IReadOnlyList<bool> isNoisy)
    {
        var series = new List<LineSeries>();
        foreach (var score in new[] { LabelQualityScore.NormalizedMargin, LabelQualityScore.SelfConfidence })
        {
            var curve = RankingCurve.Compute(issues.Learning, isNoisy, score);
            string name = score == LabelQualityScore.NormalizedMargin ? "normalized margin" : "self-confidence";
            series.Add(new LineSeries($"ranking by {name}", curve.Recall, curve.Precision));
        }
        if (issues.FoldModels.Members.Count > 1)
            foreach (var (name, member) in issues.FoldModels.Names.Zip(issues.FoldModels.Members))
            {
                var curve = RankingCurve.Compute(ConfidentLearning.Compute(member, issues.Learning.Given, issues.Learning.ClassCount), isNoisy, LabelQualityScore.NormalizedMargin);
                series.Add(new LineSeries($"{name} alone, normalized margin", curve.Recall, curve.Precision));
            }
        foreach (var (method, flags) in issues.Flags)
        {
            var s = DetectionScore.Compute(flags, isNoisy);
            series.Add(new LineSeries($"flags: {MethodName(method)}", [s.Recall], [s.Precision]) { ShowMarkers = true });
        }
        series.Add(new LineSeries($"target (precision {PrecisionTarget} at recall {RecallTarget})", [RecallTarget], [PrecisionTarget]) { ShowMarkers = true });
        PlotRenderer.Save(new LineChart(series)
        {
            Title = "Label-issue ranking against the injected errors", XLabel = "recall", YLabel = "precision",
            XRange = new AxisRange(0, 1), YRange = new AxisRange(0, 1),
        }, Path.Combine(_plots, "label-issues-precision-recall.png"), 1000, 560);
        md.Append("Precision against recall of the out-of-fold ranking (all training images, most suspicious first; each point is a top-n cut), with the " +
                  "four flag sets and the target point:\n\n![label-issue precision-recall](plots/label-issues-precision-recall.png)\n\n");
    }

    /// <summary>The reference's threshold rule on the out-of-fold probabilities, at every threshold, with the declared one judged against the reference.</summary>
    private void AppendThresholdRelabelling(StringBuilder md, ExperimentData data, LabelIssueResults issues, int givenClass, int hidden, string g, string h,
        IReadOnlyList<bool> isNoisy)
    {
        var settings = definition.LabelIssues.ThresholdRelabelling;
        md.Append("### The reference's threshold rule on out-of-fold probabilities\n\n");
        md.Append("**Not the reference's method**: its rule (relabel an image when its arg-max class differs from its label with probability ≥ threshold) " +
                  "applied to the out-of-fold probabilities above instead of a second network's in-sample ones. All thresholds are shown; the " +
                  $"**declared** one ({settings.Declared:0.###}, `label-issues.threshold-relabelling.declared`) was fixed in the YAML before any result " +
                  "was seen and is the one judged. *Beat the reference* by rates, as above: a smaller share of the " +
                  $"{g} label changes wrong than its {ReportFormat.Percent((double)Reference.WronglyChanged / Reference.Changed)} and a larger share " +
                  $"of the hidden {h}s found than its {ReportFormat.Percent((double)Reference.Found / Reference.Hidden)}.\n\n");
        var table = new MarkdownTable("Threshold", $"{g} labels changed", $"real {g}s made wrong", "share wrong", $"{h}s found (of hidden)", "share found",
            "all labels changed (precision / recall vs injected)", "beats the reference by rates").AlignRight(1, 2, 3, 4, 5);
        table.Add("reference (second network, its data)", Reference.Changed, Reference.WronglyChanged, Share(Reference.WronglyChanged, Reference.Changed),
            $"{Reference.Found} of {Reference.Hidden}", Share(Reference.Found, Reference.Hidden), "—", "—");
        foreach (var r in issues.ThresholdRelabellings)
        {
            var a = RelabellingAudit.Compute(data.Labels.Given, data.Labels.True, r.Labels, givenClass, hidden);
            var changed = DetectionScore.Compute([.. data.Labels.Given.Select((l, i) => r.Labels[i] != l)], isNoisy);
            string name = r.Threshold == settings.Declared ? $"**{r.Threshold:0.###} (declared)**" : r.Threshold.ToString("0.###");
            table.Add(name, a.Changed, a.WronglyChanged, Share(a.WronglyChanged, a.Changed), $"{a.Found} of {a.Hidden}", Share(a.Found, a.Hidden),
                $"{changed.Flagged}: {PrecisionRecall(changed)}", BeatsReference(a) ? "yes" : "no");
        }
        md.Append(table).Append('\n');
    }

    private IEnumerable<(double Threshold, RelabellingAudit Audit)> ThresholdAudits(ExperimentData data, LabelIssueResults issues)
    {
        if (definition.Noise.Count == 0) yield break;
        var rule = definition.Noise[0];
        int givenClass = definition.ClassIndex(rule.To, "noise 'to'"), hidden = definition.ClassIndex(rule.From, "noise 'from'");
        foreach (var r in issues.ThresholdRelabellings)
            yield return (r.Threshold, RelabellingAudit.Compute(data.Labels.Given, data.Labels.True, r.Labels, givenClass, hidden));
    }

    private static string Share(int part, int whole) => whole == 0 ? "—" : ReportFormat.Percent((double)part / whole);

    /// <summary>By rates, since the reference's data differ: fewer of the changed labels wrong and more of the hidden class found (nothing changed never beats it).</summary>
    public static bool BeatsReference(RelabellingAudit a) =>
        a.Changed > 0 && a.Hidden > 0 && (double)a.WronglyChanged / a.Changed < (double)Reference.WronglyChanged / Reference.Changed &&
        (double)a.Found / a.Hidden > (double)Reference.Found / Reference.Hidden;

    private void AppendRetraining(StringBuilder md, IReadOnlyList<ModelEvaluation> retrained)
    {
        md.Append("## Retraining after cleaning\n\n");
        md.Append("The same class-weighted recipe on the training split, with the flagged labels changed or the flagged images removed. " +
                  "Test labels are clean; Δ is against the noisy labels.\n\n");
        double baseline = retrained[0].Test.MacroF1;
        var table = new MarkdownTable("Training labels", "How", "Images", "Test acc.", "Test macro-F1", "Δ macro-F1", "Test cat recall").AlignRight(2, 3, 4, 5, 6);
        foreach (var m in retrained)
            table.Add(m.Name, m.Description, m.Train.Count, ReportFormat.Percent(m.Test.Accuracy), ReportFormat.Number(m.Test.MacroF1),
                (m.Test.MacroF1 - baseline).ToString("+0.000;−0.000;0.000"), ReportFormat.Percent(CatRecall(m.Test)));
        md.Append(table).Append('\n');
        md.Append("With one training run per row and 23 test cats, differences of a few hundredths of macro-F1 are within seed-to-seed noise; " +
                  "run with other `--seed` values before reading much into them.\n\n");
    }

    /// <summary>
    /// out-of-fold.csv: one row per training image with its given and true label, the out-of-fold probabilities (cleanlab's
    /// <c>pred_probs</c>) and the flags of every method, so the detection can be re-analysed without re-running.
    /// </summary>
    private void WriteOutOfFold(ExperimentData data, LabelIssueResults issues)
    {
        var methods = issues.Flags.Keys.ToList();
        var csv = new StringBuilder();
        // With an ensemble, each member's probabilities follow (p_<member>_<class>), so members can be re-analysed alone.
        var members = issues.FoldModels.Members.Count > 1 ? issues.FoldModels.Names.Zip(issues.FoldModels.Members).ToList() : [];
        csv.AppendJoin(',', ["image", "given", "true", .. data.Classes.Select(c => $"p_{c}"), .. methods.Select(m => $"flag_{m}"),
            .. members.SelectMany(m => data.Classes.Select(c => $"p_{m.First.Replace(' ', '-')}_{c}"))]).Append('\n');
        for (int i = 0; i < issues.OutOfFold.Count; i++)
            csv.AppendJoin(',', [data.AllTrain.Paths[i], data.Classes[data.Labels.Given[i]], data.Classes[data.Labels.True[i]],
                .. issues.OutOfFold[i].Select(p => p.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
                .. methods.Select(m => issues.Flags[m][i] ? "1" : "0"),
                .. members.SelectMany(m => m.Second[i].Select(p => p.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))]).Append('\n');
        AtomicFile.WriteAllText(Path.Combine(runFolder, "out-of-fold.csv"), csv.ToString());
    }

    private void WriteMetrics(ExperimentData data, IReadOnlyList<ModelEvaluation> balancing, IReadOnlyList<SweepPoint> sweep, LabelIssueResults issues,
        IReadOnlyList<ModelEvaluation> retrained, DetectionScore detection, IReadOnlyDictionary<string, RelabellingAudit> audits,
        bool catRecallMet, bool detectionMet, TimeSpan elapsed)
    {
        object Model(ModelEvaluation m) => new
        {
            m.Name, TestAccuracy = m.Test.Accuracy, TestMacroF1 = m.Test.MacroF1, TestRecall = m.Test.PerClass.Select(c => c.Recall),
            ValidationMacroF1 = m.Validation.MacroF1, TrainImages = m.Train.Count, Seconds = m.Time.TotalSeconds,
        };
        AtomicFile.WriteAllText(Path.Combine(runFolder, "metrics.json"), JsonSerializer.Serialize(new
        {
            seed, quick, epochs, classes = data.Classes, train = data.TrainCounts, test = data.TestCounts,
            injectedErrors = data.Labels.NoisyIndices().Count,
            balancing = balancing.Select(Model),
            sweep = sweep.Select(p => new { p.LearningRate, p.InitialLoss, p.EpochLosses, p.Diverged }),
            labelIssues = new
            {
                method = definition.LabelIssues.Method.ToString(), thresholds = issues.Learning.Thresholds,
                outOfFoldAccuracyGiven = issues.FoldQuality.AgainstGiven.Accuracy, outOfFoldAccuracyTrue = issues.FoldQuality.AgainstTruth.Accuracy,
                outOfFoldRecallTrue = issues.FoldQuality.AgainstTruth.PerClass.Select(c => c.Recall),
                foldModel = definition.LabelIssues.FoldModel.ToString(), foldModelMembers = issues.FoldModels.Names, foldSettings = issues.FoldSettings,
                methods = issues.Flags.Select(f => DetectionScore.Compute(f.Value, [.. Enumerable.Range(0, f.Value.Length).Select(data.Labels.IsNoisy)]))
                    .Zip(issues.Flags.Keys, (d, m) => new { method = m.ToString(), d.Flagged, d.TruePositives, d.Precision, d.Recall }),
                detection.Flagged, detection.TruePositives, detection.Precision, detection.Recall,
                audits = audits.Select(a => new { a.Key, a.Value.Changed, a.Value.WronglyChanged, a.Value.Hidden, a.Value.Found }),
                foldModels = issues.FoldModels.Names.Zip(issues.FoldModels.Members, (name, member) =>
                {
                    var truth = ClassificationMetrics.Compute(member, data.Labels.True, data.Classes);
                    return new { name, accuracyTrue = truth.Accuracy, recallTrue = truth.PerClass.Select(c => c.Recall) };
                }),
                rankingPrecisionAtRecallTarget = Enum.GetValues<LabelQualityScore>().Select(score =>
                {
                    var curve = RankingCurve.Compute(issues.Learning, [.. Enumerable.Range(0, data.Labels.True.Count).Select(data.Labels.IsNoisy)], score);
                    return new { score = score.ToString(), recall = RecallTarget, precision = curve.Precision[curve.CutAtRecall(RecallTarget) - 1] };
                }),
                thresholdRelabelling = ThresholdAudits(data, issues).Select(t => new
                {
                    t.Threshold, declared = t.Threshold == definition.LabelIssues.ThresholdRelabelling.Declared,
                    t.Audit.Changed, t.Audit.WronglyChanged, t.Audit.Hidden, t.Audit.Found, beatsReference = BeatsReference(t.Audit),
                }),
            },
            retrained = retrained.Select(Model),
            targets = new { catRecallMet, detectionMet },
            seconds = elapsed.TotalSeconds,
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
    }
}
