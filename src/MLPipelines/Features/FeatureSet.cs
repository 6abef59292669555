using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLPipelines.Features;

/// <summary>Feature vectors with their labels and source images, convertible to an ML.NET <see cref="IDataView"/>.</summary>
public sealed class FeatureSet
{
    public FeatureSet(IReadOnlyList<string> classes, IReadOnlyList<float[]> features, IReadOnlyList<string> labels, IReadOnlyList<string> imagePaths)
    {
        if (features.Count != labels.Count || features.Count != imagePaths.Count)
            throw new ArgumentException("features, labels and image paths must have the same length");
        if (features.Count == 0)
            throw new ArgumentException("a feature set needs at least one example");
        FeatureSize = features[0].Length;
        if (features.Any(f => f.Length != FeatureSize))
            throw new ArgumentException("all feature vectors must have the same length");
        Classes = classes;
        Features = features;
        Labels = labels;
        ImagePaths = imagePaths;
    }

    /// <summary>Class names in label order.</summary>
    public IReadOnlyList<string> Classes { get; }

    public IReadOnlyList<float[]> Features { get; }
    public IReadOnlyList<string> Labels { get; }
    public IReadOnlyList<string> ImagePaths { get; }
    public int FeatureSize { get; }
    public int Count => Features.Count;

    /// <summary>Class index of every example.</summary>
    public int[] LabelIndices()
    {
        var index = Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        return Labels.Select(l => index[l]).ToArray();
    }

    /// <summary>This set followed by <paramref name="other"/>.</summary>
    public FeatureSet Concat(FeatureSet other) =>
        new(Classes, [.. Features, .. other.Features], [.. Labels, .. other.Labels], [.. ImagePaths, .. other.ImagePaths]);

    /// <summary>Columns <c>ImagePath</c> (text), <c>Label</c> (text) and <c>Features</c> (fixed-size float vector).</summary>
    public IDataView ToDataView(MLContext mlContext)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, FeatureSize);
        var rows = Enumerable.Range(0, Count).Select(i => new Row { ImagePath = ImagePaths[i], Label = Labels[i], Features = Features[i] });
        return mlContext.Data.LoadFromEnumerable(rows.ToList(), schema);
    }

    private sealed class Row
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
        public float[] Features { get; set; } = [];
    }
}
