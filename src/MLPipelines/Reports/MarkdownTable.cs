using System.Text;

namespace MLPipelines.Reports;

/// <summary>A GitHub-flavoured Markdown table; cells are escaped so pipes in values cannot break the layout.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];
    private readonly string[] _alignments = headers.Select(_ => "---").ToArray();

    /// <summary>Right-aligns the given columns (numbers).</summary>
    public MarkdownTable AlignRight(params int[] columns)
    {
        foreach (int c in columns) _alignments[c] = "---:";
        return this;
    }

    public MarkdownTable Add(params object?[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException($"row has {cells.Length} cells, the table has {headers.Length} columns");
        _rows.Add(cells.Select(c => Escape(c?.ToString() ?? "")).ToArray());
        return this;
    }

    public int RowCount => _rows.Count;

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", headers.Select(Escape)).Append(" |\n");
        text.Append("| ").AppendJoin(" | ", _alignments).Append(" |\n");
        foreach (var row in _rows)
            text.Append("| ").AppendJoin(" | ", row).Append(" |\n");
        return text.ToString();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|").Replace("\n", " ");
}
