namespace MLPipelines.Evaluation.LabelIssues;

/// <summary>
/// A relabelling scored in the reference's words, for one given class (e.g. car) and one class hidden in it (e.g. cat):
/// "mislabelled <see cref="WronglyChanged"/> of <see cref="Changed"/> cars, found <see cref="Found"/> of <see cref="Hidden"/> cats".
/// </summary>
/// <param name="Changed">Examples labelled with the given class whose label was changed.</param>
/// <param name="WronglyChanged">Of those, the ones truly of the given class (a correct label made wrong).</param>
/// <param name="Hidden">Examples of the hidden class labelled with the given class (the noise to find).</param>
/// <param name="Found">Of those, the ones relabelled to their true class.</param>
public sealed record RelabellingAudit(int Changed, int WronglyChanged, int Hidden, int Found)
{
    /// <summary>Counts the audit of <paramref name="relabelled"/> against the <paramref name="given"/> and <paramref name="truth"/> labels.</summary>
    public static RelabellingAudit Compute(IReadOnlyList<int> given, IReadOnlyList<int> truth, IReadOnlyList<int> relabelled, int givenClass, int hiddenClass)
    {
        if (given.Count != truth.Count || given.Count != relabelled.Count)
            throw new ArgumentException($"{given.Count} given, {truth.Count} true and {relabelled.Count} new labels");
        int changed = 0, wrong = 0, hidden = 0, found = 0;
        for (int i = 0; i < given.Count; i++)
        {
            if (given[i] != givenClass) continue;
            bool isChanged = relabelled[i] != given[i];
            if (isChanged) changed++;
            if (isChanged && truth[i] == givenClass) wrong++;
            if (truth[i] == hiddenClass)
            {
                hidden++;
                if (relabelled[i] == hiddenClass) found++;
            }
        }
        return new RelabellingAudit(changed, wrong, hidden, found);
    }

    /// <summary>"mislabelled X of N cars, found Y of M cats" with the given class names.</summary>
    public string Describe(string givenName, string hiddenName) =>
        $"mislabelled {WronglyChanged} of {Changed} {givenName}s, found {Found} of {Hidden} {hiddenName}s";
}
