using MLPipelines.Evaluation.LabelIssues;

namespace MLPipelines.Tests.Experiments;

/// <summary>Confident learning and the relabelling baseline on hand-made probability matrices whose flags are worked out by hand.</summary>
public class ImbalancedNoisyLabelIssuesTests
{
    // Three classes. Example 3 is labelled 0 but looks like class 2; example 6 is labelled 1 but looks like class 0; example 9
    // (labelled 2) reaches no threshold. Thresholds: t0 = (0.9+0.8+0.7+0.1)/4 = 0.625, t1 = (0.8+0.7+0.25)/3 ≈ 0.583,
    // t2 = (0.85+0.9+0.7)/3 ≈ 0.817.
    private static readonly float[][] ThreeClassProbabilities =
    [
        [0.9f, 0.05f, 0.05f], [0.8f, 0.1f, 0.1f], [0.7f, 0.2f, 0.1f], [0.1f, 0.05f, 0.85f],
        [0.1f, 0.8f, 0.1f], [0.2f, 0.7f, 0.1f], [0.7f, 0.25f, 0.05f],
        [0.1f, 0.05f, 0.85f], [0.05f, 0.05f, 0.9f], [0.2f, 0.1f, 0.7f],
    ];

    private static readonly int[] ThreeClassLabels = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];

    [Fact]
    public void Thresholds_confident_joint_and_flags_match_the_hand_computation()
    {
        var learning = ConfidentLearning.Compute(ThreeClassProbabilities, ThreeClassLabels, 3);
        Assert.Equal(0.625, learning.Thresholds[0], 6);
        Assert.Equal((0.8 + 0.7 + 0.25) / 3, learning.Thresholds[1], 6);
        Assert.Equal((0.85 + 0.9 + 0.7) / 3, learning.Thresholds[2], 6);
        Assert.Equal([0, 0, 0, 2, 1, 1, 0, 2, 2, -1], learning.ConfidentClass);
        Assert.Equal(new[,] { { 3, 0, 1 }, { 1, 2, 0 }, { 0, 0, 2 } }, learning.Joint);
        var calibrated = learning.CalibratedJoint();
        Assert.Equal(3.0, calibrated[2, 2], 9); // row 2 counted 2 of its 3 examples: rescaled to 3
        var expected = Enumerable.Range(0, 10).Select(i => i is 3 or 6).ToArray();
        Assert.Equal(expected, learning.Flags(LabelIssueMethod.ConfidentJoint));
        Assert.Equal(expected, learning.Flags(LabelIssueMethod.PruneByNoiseRate));
        Assert.Equal(expected, learning.Flags(LabelIssueMethod.Both));
        Assert.Equal([0, 0, 0, 2, 1, 1, 0, 2, 2, 2], learning.ArgMaxClasses());
    }

    [Fact]
    public void Prune_by_noise_rate_flags_the_calibrated_count_by_margin_while_the_confident_joint_flags_only_counted_examples()
    {
        // Two classes; labelled 0: a, b, c, d; labelled 1: e, f, g. t0 = (0.95+0.2+0.5+0.52)/4 = 0.5425, t1 = (0.9+0.75+0.7)/3 ≈ 0.783.
        // Counted in row 0: a → 0 and b → 1 (c and d reach no threshold), so row 0 = [1, 1], calibrated to 4 examples = [2, 2]:
        // prune by noise rate flags the 2 examples labelled 0 with the largest p1 − p0 (b: 0.6, c: 0), the confident joint only b.
        float[][] p = [[0.95f, 0.05f], [0.2f, 0.8f], [0.5f, 0.5f], [0.52f, 0.48f], [0.1f, 0.9f], [0.25f, 0.75f], [0.3f, 0.7f]];
        int[] given = [0, 0, 0, 0, 1, 1, 1];
        var learning = ConfidentLearning.Compute(p, given, 2);
        Assert.Equal(new[,] { { 1, 1 }, { 0, 1 } }, learning.Joint);
        Assert.Equal(2.0, learning.CalibratedJoint()[0, 1], 9);
        Assert.Equal([false, true, false, false, false, false, false], learning.Flags(LabelIssueMethod.ConfidentJoint));
        Assert.Equal([false, true, true, false, false, false, false], learning.Flags(LabelIssueMethod.PruneByNoiseRate));
        Assert.Equal([false, true, false, false, false, false, false], learning.Flags(LabelIssueMethod.Both));
    }

    [Fact]
    public void A_class_nobody_is_labelled_with_is_never_confident_and_bad_input_is_named()
    {
        var learning = ConfidentLearning.Compute([[0.1f, 0.1f, 0.8f], [0.9f, 0.05f, 0.05f]], [0, 0], 3);
        Assert.True(double.IsPositiveInfinity(learning.Thresholds[2]));
        Assert.Equal(-1, learning.ConfidentClass[0]);
        var row = Assert.Throws<ArgumentException>(() => ConfidentLearning.Compute([[0.5f, 0.5f]], [0], 3));
        Assert.Contains("probability row 0 has 2 values for 3 classes", row.Message);
        var label = Assert.Throws<ArgumentException>(() => ConfidentLearning.Compute([[0.5f, 0.5f]], [4], 2));
        Assert.Contains("label 4 of example 0", label.Message);
    }

    [Fact]
    public void Detection_score_counts_precision_and_recall_against_the_injected_noise()
    {
        var score = DetectionScore.Compute([true, true, false, true, false], [true, false, true, true, false]);
        Assert.Equal(new DetectionScore(3, 3, 2), score);
        Assert.Equal(2.0 / 3, score.Precision, 12);
        Assert.Equal(2.0 / 3, score.Recall, 12);
        Assert.True(double.IsNaN(DetectionScore.Compute([false], [true]).Precision));
    }

    [Fact]
    public void Second_network_relabelling_changes_only_confident_disagreements_and_is_audited_in_the_reference_form()
    {
        // Class 0 = car, 2 = cat. Truth: examples 2 and 3 are cats labelled car.
        float[][] p = [[0.9995f, 0.0004f, 0.0001f], [0.0001f, 0.0001f, 0.9998f], [0.0002f, 0.0003f, 0.9995f], [0.4f, 0.1f, 0.5f], [0.0001f, 0.0001f, 0.9998f]];
        int[] given = [0, 0, 0, 0, 2];
        int[] truth = [0, 0, 2, 2, 2];
        var relabelled = ConfidenceRelabelling.Relabel(p, given, 0.999);
        Assert.Equal([0, 2, 2, 0, 2], relabelled);
        var audit = RelabellingAudit.Compute(given, truth, relabelled, givenClass: 0, hiddenClass: 2);
        Assert.Equal(new RelabellingAudit(Changed: 2, WronglyChanged: 1, Hidden: 2, Found: 1), audit);
        Assert.Equal("mislabelled 1 of 2 cars, found 1 of 2 cats", audit.Describe("car", "cat"));
    }

    [Fact]
    public void Stratified_folds_spread_every_class_evenly_and_repeat_with_the_seed()
    {
        var labels = Enumerable.Range(0, 103).Select(i => i < 80 ? 0 : i < 97 ? 1 : 2).ToArray();
        var folds = StratifiedFolds.Assign(labels, 5, seed: 3);
        for (int c = 0; c < 3; c++)
        {
            var perFold = Enumerable.Range(0, 5).Select(f => Enumerable.Range(0, labels.Length).Count(i => labels[i] == c && folds[i] == f)).ToArray();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {c}: {string.Join(",", perFold)}");
        }
        Assert.Equal(folds, StratifiedFolds.Assign(labels, 5, seed: 3));
        Assert.NotEqual(folds, StratifiedFolds.Assign(labels, 5, seed: 4));
        Assert.Throws<ArgumentException>(() => StratifiedFolds.Assign(labels, 1, seed: 3));
    }
}
