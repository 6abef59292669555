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
        // Row 2 counted 2 of its 3 examples: rescaled to 3.
        Assert.Equal(new[,] { { 3, 0, 1 }, { 1, 2, 0 }, { 0, 0, 3 } }, learning.CalibratedJoint());
        var expected = Enumerable.Range(0, 10).Select(i => i is 3 or 6).ToArray();
        // Prune by class: n_i − Ĉ[i, i] = 1, 1, 0 examples with the smallest p_i: 3 (p0 0.1) and 6 (p1 0.25).
        foreach (var method in Enum.GetValues<LabelIssueMethod>())
            Assert.Equal(expected, learning.Flags(method));
        Assert.Equal([0, 0, 0, 2, 1, 1, 0, 2, 2, 2], learning.ArgMaxClasses());
        Assert.Equal([3, 6], learning.Rank(expected));   // normalized margins −0.75 and −0.45
    }

    [Fact]
    public void Prune_by_noise_rate_flags_the_calibrated_count_by_margin_while_the_confident_joint_flags_only_counted_examples()
    {
        // Two classes; labelled 0: a, b, c, d; labelled 1: e, f, g. t0 = (0.95+0.2+0.45+0.52)/4 = 0.53, t1 = (0.9+0.75+0.7)/3 ≈ 0.783.
        // Counted in row 0: a → 0 and b → 1 (c and d reach no threshold), so row 0 = [1, 1], calibrated to 4 examples = [2, 2]:
        // prune by noise rate flags the 2 examples labelled 0 with the largest p1 − p0 (b: 0.6, c: 0.1), the confident joint only b.
        // Prune by class flags n0 − Ĉ[0, 0] = 2 examples labelled 0 with the smallest p0: b and c again.
        float[][] p = [[0.95f, 0.05f], [0.2f, 0.8f], [0.45f, 0.55f], [0.52f, 0.48f], [0.1f, 0.9f], [0.25f, 0.75f], [0.3f, 0.7f]];
        int[] given = [0, 0, 0, 0, 1, 1, 1];
        var learning = ConfidentLearning.Compute(p, given, 2);
        Assert.Equal(new[,] { { 1, 1 }, { 0, 1 } }, learning.Joint);
        Assert.Equal(new[,] { { 2, 2 }, { 0, 3 } }, learning.CalibratedJoint());
        Assert.Equal([false, true, false, false, false, false, false], learning.Flags(LabelIssueMethod.ConfidentJoint));
        bool[] bAndC = [false, true, true, false, false, false, false];
        Assert.Equal(bAndC, learning.Flags(LabelIssueMethod.PruneByNoiseRate));
        Assert.Equal(bAndC, learning.Flags(LabelIssueMethod.PruneByClass));
        Assert.Equal(bAndC, learning.Flags(LabelIssueMethod.Both));
        Assert.Equal([1, 2], learning.Rank(bAndC));   // b is the surer error (margin −0.6 against −0.1)
    }

    [Fact]
    public void An_example_whose_arg_max_is_its_given_label_is_never_flagged_even_when_counted_off_the_diagonal()
    {
        // A common class 0 (car) and a rare class 1 the model is shy of: t0 = (3·0.9+0.6+0.3)/5 = 0.72, t1 = (0.3+0.3+0.6)/3 = 0.4.
        // x = [0.6, 0.4] labelled 0 reaches only t1, so the joint counts it as "truly 1", but the model still predicts 0 for it:
        // cleanlab drops such flags. z = [0.3, 0.7] labelled 0 is predicted 1 and stays flagged.
        float[][] p = [[0.9f, 0.1f], [0.9f, 0.1f], [0.9f, 0.1f], [0.6f, 0.4f], [0.3f, 0.7f], [0.7f, 0.3f], [0.7f, 0.3f], [0.4f, 0.6f]];
        int[] given = [0, 0, 0, 0, 0, 1, 1, 1];
        var learning = ConfidentLearning.Compute(p, given, 2);
        Assert.Equal(0.72, learning.Thresholds[0], 6);
        Assert.Equal(0.4, learning.Thresholds[1], 6);
        Assert.Equal([0, 0, 0, 1, 1, -1, -1, 1], learning.ConfidentClass);
        Assert.Equal(new[,] { { 3, 2 }, { 0, 1 } }, learning.Joint);
        var onlyZ = Enumerable.Range(0, 8).Select(i => i == 4).ToArray();
        Assert.Equal(onlyZ, learning.Flags(LabelIssueMethod.ConfidentJoint));
        Assert.Equal(onlyZ, learning.Flags(LabelIssueMethod.PruneByNoiseRate));   // Ĉ[0, 1] = 2 picks z and x by margin; x is dropped
    }

    [Fact]
    public void With_several_confident_classes_the_arg_max_is_the_guess_as_in_cleanlab_and_scores_rank_as_documented()
    {
        // t0 = (0.95+0.95+0.5)/3 = 0.8, t1 = 0.25, t2 = 0.15. x = [0.5, 0.3, 0.2] reaches t1 and t2 but not t0; cleanlab then takes
        // the arg-max (class 0, its given label), so x is on the diagonal and not an issue.
        float[][] p = [[0.95f, 0.03f, 0.02f], [0.95f, 0.03f, 0.02f], [0.5f, 0.3f, 0.2f], [0.75f, 0.25f, 0f], [0.78f, 0.07f, 0.15f]];
        int[] given = [0, 0, 0, 1, 2];
        var learning = ConfidentLearning.Compute(p, given, 3);
        Assert.Equal(0, learning.ConfidentClass[2]);
        Assert.Equal(new[,] { { 3, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }, learning.Joint);
        // Normalized margin p_given − max other and self-confidence p_given order these two differently.
        float[] x = [0.3f, 0.65f, 0.05f], z = [0.25f, 0.3f, 0.45f];
        Assert.Equal(-0.35, LabelQuality.Score(x, 0, LabelQualityScore.NormalizedMargin), 6);
        Assert.Equal(-0.2, LabelQuality.Score(z, 0, LabelQualityScore.NormalizedMargin), 6);
        Assert.Equal(0.25, LabelQuality.Score(z, 0, LabelQualityScore.SelfConfidence), 6);
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
