using System.Diagnostics;
using MLPipelines.Evaluation;
using MLPipelines.Onnx;
using MLPipelines.Pipelines;
using MLPipelines.Pipelines.Methods;
using MLPipelines.Torch.Training;
using MLPipelines.Training;

namespace MLPipelines.Torch.Pipelines;

/// <summary>
/// Averages the class probabilities of earlier rows of the same run (<c>kind: ensemble</c>): their exported networks are
/// combined into one ONNX graph (<see cref="OnnxEnsemble"/>), so the ensemble's model.zip is stock ML.NET like every other row.
/// Nothing is trained. The members are fixed in the pipeline, never chosen on test. Rows that were refit on the training and
/// validation images have no held-out validation left, so the ensemble's validation accuracy is reported as "—".
/// </summary>
public sealed class EnsembleMethod : MethodDefinition
{
    /// <summary>The rows to combine: each an earlier row's name (its <c>name</c>, or its method text in the report) or id. At least two.</summary>
    public List<string> Members { get; set; } = [];

    public override void Validate(string origin)
    {
        if (Members.Count < 2)
            throw new PipelineException($"{origin}: ensemble members must list at least two earlier rows (by name)");
        var repeated = Members.GroupBy(m => m, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new PipelineException($"{origin}: ensemble member '{repeated.Key}' is listed twice");
    }

    public override IReadOnlyList<MethodResult> Run(ExperimentContext context)
    {
        var members = Members.Select(m => FindMember(context, m)).ToList();
        string id = RowId(context.CompletedRows.Count + 1);
        string folder = context.Folder(id);
        var watch = Stopwatch.StartNew();
        var graphs = members.Select(m => OnnxModelFile.Load(Path.Combine(context.RunFolder, m.ScoringNetworkPath!))).ToList();
        var combined = OnnxEnsemble.AverageProbabilities(graphs, ColumnNames.Pixels, ColumnNames.Logits);
        string networkPath = Path.Combine(folder, "ensemble.onnx");
        OnnxModelFile.Save(combined, networkPath);
        int imageSize = InputSide(combined);
        var classes = context.Split.Classes;
        var model = ImageClassificationTrainer.ScoringModel(context.MLContext, networkPath, classes, imageSize);
        var (probabilities, howScored) = TestProbabilities(context, members, graphs, model, imageSize);
        string modelPath = Path.Combine(id, "model.zip");
        ImageClassifierModel.Save(context.MLContext, model, Path.Combine(context.RunFolder, modelPath));
        var labels = context.Split.Test.Select(i => classes.ToList().IndexOf(i.Label)).ToList();
        var test = ClassificationMetrics.Compute(probabilities, labels, classes);

        var result = new MethodResult
        {
            Id = id,
            Method = Name ?? $"ensemble of {members.Count} rows",
            Backbone = string.Join(", ", members.Select(m => m.Backbone).Distinct()),
            Setting = $"mean probability of {members.Count} rows, {imageSize} px; train time = the members' total",
            ValidationAccuracy = double.NaN,
            Test = test,
            TestProbabilities = probabilities,
            TestImages = context.Split.Test,
            TrainTime = TimeSpan.FromTicks(members.Sum(m => m.TrainTime.Ticks)),
            ModelPath = modelPath,
            ScoringNetworkPath = Path.GetRelativePath(context.RunFolder, networkPath),
        };
        result.Details.Add(MemberTable(members, probabilities) + "\n\n" + howScored);
        result.Extra["members"] = members.Select(m => m.Id).ToList();
        result.Extra["combine_and_score_seconds"] = watch.Elapsed.TotalSeconds;
        context.Log($"{result.Method}: test {test.Accuracy:P1} (members {string.Join(", ", members.Select(m => m.Test.Accuracy.ToString("P1")))}), {watch.Elapsed.TotalSeconds:0} s");
        return [result];
    }

    // Members that take the ensemble's input size see exactly the pixels they saw when their own rows were tested, so the
    // ensemble's test probabilities are the mean of theirs: computed from them, and the model.zip is checked against them on
    // the first test images (scoring it on every image would run every member again, 1.5 minutes on pacs-fewshot). Members
    // of another size see the images resized inside the graph, so then the model.zip scores the whole test split.
    private static (IReadOnlyList<float[]> Probabilities, string How) TestProbabilities(ExperimentContext context, IReadOnlyList<MethodResult> members,
        IReadOnlyList<MLPipelines.Onnx.Proto.ModelProto> graphs, Microsoft.ML.ITransformer model, int imageSize)
    {
        var test = context.Split.Test;
        bool sameSize = graphs.All(g => InputSide(g) == imageSize);
        if (!sameSize)
            return (TestSetScoring.Probabilities(context.MLContext, model, test, context.Progress),
                "The members differ in input size, so the model.zip scored every test image.");
        var mean = Enumerable.Range(0, test.Count)
            .Select(i => Enumerable.Range(0, members[0].TestProbabilities[i].Length).Select(k => (float)members.Average(m => m.TestProbabilities[i][k])).ToArray())
            .ToList();
        int checkedImages = Math.Min(CheckedImages, test.Count);
        var scored = TestSetScoring.Probabilities(context.MLContext, model, test.Take(checkedImages).ToList(), null);
        double difference = scored.SelectMany((p, i) => p.Select((v, k) => Math.Abs(v - mean[i][k]))).DefaultIfEmpty().Max();
        context.Log($"ensemble model.zip on the first {checkedImages} test images: largest difference from the members' mean probability {difference:0.0e0}");
        string check = FormattableString.Invariant(
            $"On the first {checkedImages} test images the model.zip's probabilities differ from the members' mean by at most {difference:0.0e0}");
        if (difference <= Tolerance)
            return (mean, check + ", so the test probabilities are the members' mean (the model.zip computes the same).");
        context.Log("the difference is above the tolerance, so the model.zip scores every test image");
        return (TestSetScoring.Probabilities(context.MLContext, model, test, context.Progress), check + ", so the model.zip scored every test image.");
    }

    // The side of a square image input [N, 3, S, S] (OnnxEnsemble has checked the shape).
    private static int InputSide(MLPipelines.Onnx.Proto.ModelProto graph) =>
        (int)OnnxGraphEditor.DataInputs(graph)[0].Type.TensorType.Shape.Dim[2].DimValue;

    private const int CheckedImages = 32;
    private const double Tolerance = 1e-3;

    // A named row's folder is named after the start of its name (up to a colon, at most 32 characters), otherwise after its row number.
    private string RowId(int rowNumber)
    {
        if (Name is null) return $"ensemble-row-{rowNumber}";
        string slug = FrozenFeaturesMethod.Slug("ensemble-" + Name.Split(':')[0]).Trim('-');
        return slug.Length > 32 ? slug[..32].TrimEnd('-') : slug;
    }

    // An earlier row with an exported network, found by name or id; otherwise a one-line error listing the rows that can be members.
    private static MethodResult FindMember(ExperimentContext context, string member)
    {
        var rows = context.CompletedRows;
        var found = rows.FirstOrDefault(r => string.Equals(r.Method, member, StringComparison.OrdinalIgnoreCase) ||
                                             string.Equals(r.Id, member, StringComparison.OrdinalIgnoreCase));
        var usable = rows.Where(r => r.ScoringNetworkPath is not null).Select(r => $"'{r.Method}'").ToList();
        string choices = usable.Count == 0 ? "no earlier row exports a network" : $"rows that can be members: {string.Join(", ", usable)}";
        if (found is null)
            throw new PipelineException($"ensemble member '{member}' is not an earlier row of pipeline '{context.Definition.Name}' ({choices})");
        if (found.ScoringNetworkPath is null)
            throw new PipelineException($"ensemble member '{member}' has no exported network (only fine-tune rows and ensembles do; {choices})");
        return found;
    }

    // Each member's test accuracy beside the ensemble's, and how many test images the averaging turned right or wrong
    // compared with the best member.
    private static string MemberTable(IReadOnlyList<MethodResult> members, IReadOnlyList<float[]> ensemble)
    {
        var labels = members[0].TestImages.Select(i => i.Label).ToList();
        var lines = new List<string>
        {
            "Members (their test accuracies on the same images):",
            "",
            "| member | test accuracy |",
            "| --- | ---: |",
        };
        lines.AddRange(members.Select(m => $"| {m.Method} | {m.Test.Accuracy * 100:0.0}% |"));
        var best = members.MaxBy(m => m.Test.Accuracy)!;
        var classes = best.Test.Classes;
        bool Right(float[] p, int i) => classes[Array.IndexOf(p, p.Max())] == labels[i];
        int fixedCount = 0, broken = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            bool member = Right(best.TestProbabilities[i], i), combined = Right(ensemble[i], i);
            if (combined && !member) fixedCount++;
            if (member && !combined) broken++;
        }
        lines.Add("");
        lines.Add($"Against its best member ({best.Method}), the ensemble gets {fixedCount} more test images right and {broken} wrong ones " +
                  $"that the member got right.");
        return string.Join("\n", lines);
    }
}
