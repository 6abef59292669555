using MLPipelines.Catalog;

namespace MLPipelines.Scoring;

/// <summary>
/// The class name of every output index of a classifier, from its label file and the catalog's conventions: one class per line,
/// ImageNet synset lines (<c>n02123045 tabby, tabby cat</c>) shortened to their first name (made unique with the output index
/// where two classes share it, e.g. <c>crane #134</c>), and extra leading classes (e.g. the "background" class 0 of TFLite's
/// 1001-class models) named by the catalog.
/// </summary>
public static class ClassNames
{
    /// <summary>Names for output indices 0 … <paramref name="outputSize"/> − 1.</summary>
    public static IReadOnlyList<string> Read(string labelFile, LabelSpec spec, int outputSize)
    {
        var lines = File.ReadAllLines(labelFile).Where(l => l.Trim().Length > 0).ToArray();
        if (lines.Length + spec.FirstClassIndex != outputSize)
            throw new CatalogException(
                $"{labelFile}: {lines.Length} class names starting at output {spec.FirstClassIndex} do not match the model's {outputSize} outputs");
        var names = new string[outputSize];
        for (int i = 0; i < spec.FirstClassIndex; i++)
            names[i] = spec.FirstClassIndex == 1 ? spec.BackgroundClass : $"{spec.BackgroundClass} {i}";
        for (int i = 0; i < lines.Length; i++)
            names[spec.FirstClassIndex + i] = ShortName(lines[i]);
        // Short names repeat in ImageNet ("crane" the bird and the machine, "maillot" twice); class names must be unique, so
        // repeated ones get their output index.
        var repeated = names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        for (int i = 0; i < names.Length; i++)
            if (repeated.Contains(names[i]))
                names[i] = $"{names[i]} #{i}";
        return names;
    }

    /// <summary>"n02123045 tabby, tabby cat" → "tabby"; other lines are returned trimmed.</summary>
    public static string ShortName(string line)
    {
        line = line.Trim();
        var parts = line.Split(' ', 2);
        if (parts.Length == 2 && parts[0].Length == 9 && parts[0][0] == 'n' && parts[0][1..].All(char.IsDigit))
            line = parts[1];
        return line.Split(',')[0].Trim();
    }
}
