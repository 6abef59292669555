using System.Globalization;

namespace MLPipelines.Imaging.Augmentation;

/// <summary>
/// The arguments of one operation in an augmentation spec, as text, with typed readers. Values given in the spec override
/// the operation's declared defaults; every error names the operation and the argument.
/// </summary>
public sealed class SpecArguments
{
    private readonly string _operation;
    private readonly IReadOnlyDictionary<string, string?> _values;

    internal SpecArguments(string operation, IReadOnlyDictionary<string, string?> values)
    {
        _operation = operation;
        _values = values;
    }

    /// <summary>The raw text of <paramref name="name"/>; an error when required and missing.</summary>
    public string Text(string name) =>
        _values.TryGetValue(name, out var value) && value is not null
            ? value
            : throw new FormatException($"{_operation} needs {name}=… (e.g. {_operation}({name}=…))");

    /// <summary>True when the argument is the word "none" (an optional setting left off).</summary>
    public bool IsNone(string name) => _values.TryGetValue(name, out var v) && string.Equals(v, "none", StringComparison.OrdinalIgnoreCase);

    /// <summary>A number.</summary>
    public double Number(string name)
    {
        string text = Text(name);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw Error(name, "a number", text);
    }

    /// <summary>A probability in [0, 1].</summary>
    public double Probability(string name)
    {
        double p = Number(name);
        return p is >= 0 and <= 1 ? p : throw Error(name, "a probability in [0, 1]", Text(name));
    }

    /// <summary>A whole number.</summary>
    public int Integer(string name)
    {
        double value = Number(name);
        return value == Math.Floor(value) && Math.Abs(value) < int.MaxValue ? (int)value : throw Error(name, "a whole number", Text(name));
    }

    /// <summary>true or false.</summary>
    public bool Boolean(string name) =>
        bool.TryParse(Text(name), out bool value) ? value : throw Error(name, "true or false", Text(name));

    /// <summary>One of an enum's values, written in lower case (hyphens allowed).</summary>
    public T Word<T>(string name) where T : struct, Enum
    {
        string text = Text(name);
        return Enum.TryParse<T>(text.Replace("-", ""), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw Error(name, "one of " + string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant())), text);
    }

    /// <summary>A number or a list <c>[a, b, …]</c> of <paramref name="allowedCounts"/> numbers.</summary>
    public double[] Numbers(string name, params int[] allowedCounts)
    {
        string text = Text(name).Trim();
        string inner = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        var parts = inner.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                throw Error(name, "a number or a list of numbers [a, b]", text);
        if (!allowedCounts.Contains(values.Length))
            throw Error(name, $"{string.Join(" or ", allowedCounts)} number(s)", text);
        return values;
    }

    /// <summary>A range: a list [min, max], or a single number turned into a range by <paramref name="fromSingle"/>.</summary>
    public ValueRange Range(string name, Func<double, ValueRange> fromSingle)
    {
        var values = Numbers(name, 1, 2);
        var range = values.Length == 1 ? fromSingle(values[0]) : new ValueRange(values[0], values[1]);
        return range.Min <= range.Max ? range : throw Error(name, "a range [min, max] with min ≤ max", Text(name));
    }

    /// <summary>An image size: one number for a square, or [height, width] as torchvision.</summary>
    public ImageSize Size(string name)
    {
        var values = Numbers(name, 1, 2);
        if (values.Any(v => v != Math.Floor(v) || v <= 0)) throw Error(name, "positive whole numbers", Text(name));
        return values.Length == 1 ? ImageSize.Square((int)values[0]) : new ImageSize((int)values[1], (int)values[0]);
    }

    private FormatException Error(string name, string expected, string actual) =>
        new($"{_operation}: {name} must be {expected}, got '{actual}'");
}
