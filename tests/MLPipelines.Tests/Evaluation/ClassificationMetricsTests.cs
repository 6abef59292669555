using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Evaluation;

namespace MLPipelines.Tests.Evaluation;

public class ClassificationMetricsTests
{
    [Fact]
    public void Metrics_of_a_small_hand_worked_example()
    {
        string[] classes = ["a", "b", "c"];
        float[][] p =
        [
            [0.7f, 0.2f, 0.1f], // a → a
            [0.3f, 0.6f, 0.1f], // a → b (true class second: top-2 hit)
            [0.2f, 0.5f, 0.3f], // b → b
            [0.3f, 0.3f, 0.4f], // c → c
        ];
        int[] truth = [0, 0, 1, 2];
        var m = ClassificationMetrics.Compute(p, truth, classes);

        Assert.Equal(0.75, m.Accuracy, 10);
        Assert.Equal((0.5 + 1 + 1) / 3, m.MacroAccuracy, 10);
        Assert.Equal(1.0, m.TopK(2), 10);
        Assert.Equal(-(Math.Log(0.7) + Math.Log(0.3) + Math.Log(0.5) + Math.Log(0.4)) / 4, m.LogLoss, 6);
        Assert.Equal(1, m.ConfusionMatrix[0, 1]);
        var b = m.PerClass[1];
        Assert.Equal(0.5, b.Precision, 10);
        Assert.Equal(1.0, b.Recall, 10);
        Assert.Equal(2 * 0.5 / 1.5, b.F1, 10);
    }

    private sealed class Scored
    {
        public uint Label { get; set; }
        public uint PredictedLabel { get; set; }
        [VectorType(4)] public float[] Score { get; set; } = [];
    }

    [Fact]
    public void Accuracy_macro_accuracy_log_loss_and_top_k_agree_with_ml_net_evaluator()
    {
        var random = new Random(3);
        int n = 200, k = 4;
        var probabilities = Enumerable.Range(0, n).Select(_ =>
        {
            var raw = Enumerable.Range(0, k).Select(_ => (float)Math.Exp(2 * random.NextDouble())).ToArray();
            float sum = raw.Sum();
            return raw.Select(v => v / sum).ToArray();
        }).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => i % k).ToArray();
        var ours = ClassificationMetrics.Compute(probabilities, labels, ["0", "1", "2", "3"]);

        var ml = new MLContext(1);
        var schema = SchemaDefinition.Create(typeof(Scored));
        schema[nameof(Scored.Label)].ColumnType = new KeyDataViewType(typeof(uint), k);
        schema[nameof(Scored.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), k);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, n).Select(i => new Scored
        {
            // LoadFromEnumerable reads uint keys as 0-based indices.
            Label = (uint)labels[i],
            PredictedLabel = (uint)ClassificationMetrics.ArgMax(probabilities[i]),
            Score = probabilities[i],
        }), schema);
        var theirs = ml.MulticlassClassification.Evaluate(data, "Label", "Score", "PredictedLabel", topKPredictionCount: 3);

        Assert.Equal(theirs.MicroAccuracy, ours.Accuracy, 6);
        Assert.Equal(theirs.MacroAccuracy, ours.MacroAccuracy, 6);
        Assert.Equal(theirs.LogLoss, ours.LogLoss, 4);
        Assert.Equal(theirs.TopKAccuracy, ours.TopK(3), 6);
    }
}
