using System.Text;

namespace MLPipelines.Data;

/// <summary>Train, validation and test sets of one dataset. Validation is for model selection; test is touched once per final model.</summary>
public sealed class DatasetSplit(IReadOnlyList<string> classes, IReadOnlyList<LabeledImage> train,
    IReadOnlyList<LabeledImage> validation, IReadOnlyList<LabeledImage> test)
{
    /// <summary>Class names in label order.</summary>
    public IReadOnlyList<string> Classes { get; } = classes;

    /// <summary>Images the models are fitted on.</summary>
    public IReadOnlyList<LabeledImage> Train { get; } = train;

    /// <summary>Images used to choose hyperparameters and stopping epochs.</summary>
    public IReadOnlyList<LabeledImage> Validation { get; } = validation;

    /// <summary>Held-out images for the final evaluation.</summary>
    public IReadOnlyList<LabeledImage> Test { get; } = test;

    /// <summary>Train and validation together: the whole training split, for refitting a selected configuration.</summary>
    public IReadOnlyList<LabeledImage> TrainAndValidation => [.. Train, .. Validation];

    /// <summary>Number of images per class in each set, in class order.</summary>
    public IReadOnlyList<(string Class, int Train, int Validation, int Test)> CountsPerClass() =>
        Classes.Select(c => (c, Train.Count(i => i.Label == c), Validation.Count(i => i.Label == c), Test.Count(i => i.Label == c))).ToList();

    /// <summary>
    /// Writes <c>split-train.csv</c>, <c>split-validation.csv</c> and <c>split-test.csv</c> (columns: path, label; paths
    /// relative to <paramref name="datasetRoot"/>) into <paramref name="folder"/>; returns the file names.
    /// </summary>
    public IReadOnlyList<string> WriteCsv(string folder, string datasetRoot)
    {
        var names = new List<string>();
        foreach (var (name, images) in new[] { ("train", Train), ("validation", Validation), ("test", Test) })
        {
            string file = $"split-{name}.csv";
            var csv = new StringBuilder("path,label\n");
            foreach (var image in images)
                csv.Append(Csv.Escape(Path.GetRelativePath(datasetRoot, image.Path).Replace('\\', '/'))).Append(',').Append(Csv.Escape(image.Label)).Append('\n');
            AtomicFile.WriteAllText(Path.Combine(folder, file), csv.ToString());
            names.Add(file);
        }
        return names;
    }
}
