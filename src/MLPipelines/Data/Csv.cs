namespace MLPipelines.Data;

/// <summary>RFC 4180 quoting for the few CSV files MLPipelines writes.</summary>
public static class Csv
{
    /// <summary>Quotes a field when it contains a comma, quote or line break.</summary>
    public static string Escape(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{field.Replace("\"", "\"\"")}\"" : field;
}
