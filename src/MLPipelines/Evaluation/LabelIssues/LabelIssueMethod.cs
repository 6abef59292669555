namespace MLPipelines.Evaluation.LabelIssues;

/// <summary>
/// How <see cref="ConfidentLearning"/> turns the confident joint into flagged examples: cleanlab's <c>filter_by</c> values of
/// <c>find_label_issues</c>. Whatever the method, an example whose arg-max class is its given label is never flagged (cleanlab
/// removes those flags last).
/// </summary>
public enum LabelIssueMethod
{
    /// <summary>
    /// cleanlab's <c>'confident_learning'</c>: flag every example the confident joint counts off the diagonal (its confident class
    /// is not its given label).
    /// </summary>
    ConfidentJoint,

    /// <summary>
    /// cleanlab's default <c>'prune_by_noise_rate'</c>: for every off-diagonal cell (given i, true j) of the calibrated joint, flag
    /// that many examples labelled i with the largest margin p_j − p_i.
    /// </summary>
    PruneByNoiseRate,

    /// <summary>
    /// cleanlab's <c>'prune_by_class'</c>: for every class i, flag the n_i − Ĉ[i, i] examples labelled i with the smallest p_i
    /// (the estimated number of wrong labels in the class, lowest self-confidence first).
    /// </summary>
    PruneByClass,

    /// <summary>cleanlab's <c>'both'</c>: flagged by <see cref="PruneByNoiseRate"/> and by <see cref="PruneByClass"/>.</summary>
    Both,
}
