using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;

namespace MLPipelines.Torch.Training;

/// <summary>Reads (image path, class name) rows from an <see cref="IDataView"/> with two text columns.</summary>
public static class LabeledImageColumns
{
    /// <summary>The rows of <paramref name="data"/>; a one-line error names a missing or non-text column, or an empty value.</summary>
    public static IReadOnlyList<LabeledImage> Read(IDataView data, string imagePathColumn, string labelColumn)
    {
        foreach (var name in new[] { imagePathColumn, labelColumn })
        {
            var column = data.Schema.GetColumnOrNull(name)
                ?? throw new ArgumentException($"image classification trainer: the data has no column '{name}' (columns: {string.Join(", ", data.Schema.Select(c => c.Name))})");
            if (column.Type is not TextDataViewType)
                throw new ArgumentException($"image classification trainer: column '{name}' must be text, not {column.Type}");
        }
        var paths = data.GetColumn<string>(imagePathColumn).ToList();
        var labels = data.GetColumn<string>(labelColumn).ToList();
        var rows = new List<LabeledImage>(paths.Count);
        for (int i = 0; i < paths.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(paths[i])) throw new ArgumentException($"image classification trainer: row {i} has an empty '{imagePathColumn}'");
            if (string.IsNullOrWhiteSpace(labels[i])) throw new ArgumentException($"image classification trainer: row {i} ({paths[i]}) has an empty '{labelColumn}'");
            rows.Add(new LabeledImage(paths[i], labels[i]));
        }
        return rows;
    }
}
