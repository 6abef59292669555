using System.Globalization;
using System.Reflection;
using System.Text;

namespace MLPipelines.Architectures;

/// <summary>
/// Sets <see cref="ArchitectureOptions"/> properties from text settings such as <c>classes=10</c>, <c>hidden-sizes=64,128</c>
/// or <c>batch-norm=true</c>. Option names are the properties' kebab-case names (<c>InputSize</c> → <c>input-size</c>);
/// case, dashes and underscores are ignored when matching. Values: integers, numbers (invariant culture), booleans
/// (true/false/yes/no/1/0), comma-separated integer lists (<c>[]</c> or empty for none), enum names, and <c>auto</c> for
/// an optional value's default. Errors are one line naming the architecture, the option and what it accepts.
/// </summary>
public static class ArchitectureOptionBinder
{
    /// <summary>Default options of <paramref name="optionsType"/> with <paramref name="settings"/> applied.</summary>
    public static ArchitectureOptions Bind(string architecture, Type optionsType, IEnumerable<KeyValuePair<string, string>>? settings)
    {
        var options = (ArchitectureOptions)Activator.CreateInstance(optionsType)!;
        var properties = Settable(optionsType);
        foreach (var (key, text) in settings ?? [])
        {
            var property = properties.FirstOrDefault(p => Normalize(p.Name) == Normalize(key))
                ?? throw new ArgumentException($"{architecture}: unknown option '{key}'; known options: {string.Join(", ", properties.Select(p => OptionName(p.Name)))}");
            property.SetValue(options, Parse(architecture, OptionName(property.Name), property.PropertyType, text.Trim()));
        }
        return options;
    }

    /// <summary>Parses <c>name=value</c> strings into pairs; the error names the malformed setting.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseSettings(IEnumerable<string> settings) =>
        settings.Select(s =>
        {
            int equals = s.IndexOf('=');
            if (equals <= 0) throw new ArgumentException($"option setting '{s}' must look like name=value (e.g. classes=10)");
            return new KeyValuePair<string, string>(s[..equals].Trim(), s[(equals + 1)..].Trim());
        }).ToList();

    /// <summary>The option names of <paramref name="optionsType"/>, base options first.</summary>
    public static IReadOnlyList<string> OptionNames(Type optionsType) => Settable(optionsType).Select(p => OptionName(p.Name)).ToList();

    /// <summary>Every option of <paramref name="options"/> as <c>name=value</c>, base options first, separated by spaces.</summary>
    public static string Describe(ArchitectureOptions options) =>
        string.Join(" ", Settable(options.GetType()).Select(p => $"{OptionName(p.Name)}={Format(p.GetValue(options))}"));

    /// <summary>The kebab-case option name of a property: <c>ZeroInitResidual</c> → <c>zero-init-residual</c>.</summary>
    public static string OptionName(string propertyName)
    {
        var name = new StringBuilder();
        for (int i = 0; i < propertyName.Length; i++)
        {
            char c = propertyName[i];
            if (char.IsUpper(c) && i > 0) name.Append('-');
            name.Append(char.ToLowerInvariant(c));
        }
        return name.ToString();
    }

    private static List<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod is { IsPublic: true })
            .OrderBy(p => Depth(p.DeclaringType!)).ThenBy(p => p.MetadataToken)
            .ToList();

    private static int Depth(Type type)
    {
        int depth = 0;
        for (var t = type.BaseType; t is not null; t = t.BaseType) depth++;
        return depth;
    }

    private static string Normalize(string name) => name.Replace("-", "").Replace("_", "").ToLowerInvariant();

    private static object? Parse(string architecture, string option, Type type, string text)
    {
        string Problem(string expected) => $"{architecture}: option '{option}' needs {expected}, got '{text}'";
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
            return text is "" or "auto" or "default" or "null" ? null : Parse(architecture, option, underlying, text);
        if (type == typeof(int))
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : throw new ArgumentException(Problem("an integer"));
        if (type == typeof(long))
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) ? l : throw new ArgumentException(Problem("an integer"));
        if (type == typeof(double))
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
                ? d : throw new ArgumentException(Problem("a number"));
        if (type == typeof(bool))
            return text.ToLowerInvariant() switch
            {
                "true" or "yes" or "1" or "on" => true,
                "false" or "no" or "0" or "off" => false,
                _ => throw new ArgumentException(Problem("true or false")),
            };
        if (type == typeof(int[]))
        {
            var items = text.Trim('[', ']', '(', ')').Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries);
            var values = new int[items.Length];
            for (int k = 0; k < items.Length; k++)
                if (!int.TryParse(items[k], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[k]))
                    throw new ArgumentException(Problem("a comma-separated list of integers"));
            return values;
        }
        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            string? match = names.FirstOrDefault(n => Normalize(n) == Normalize(text));
            return match is not null ? Enum.Parse(type, match) : throw new ArgumentException(Problem(string.Join(" or ", names.Select(n => n.ToLowerInvariant()))));
        }
        throw new InvalidOperationException($"{architecture}: option '{option}' has type {type.Name}, which cannot be set from text");
    }

    private static string Format(object? value) => value switch
    {
        null => "auto",
        int[] list => "[" + string.Join(",", list) + "]",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum e => e.ToString().ToLowerInvariant(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
