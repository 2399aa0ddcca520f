using System.Text;

namespace RenderFarm.Bench.Farm;

/// <summary>A titled table with notes, printable as aligned text or as markdown.</summary>
public sealed record ReportTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<string> Notes)
{
    public string ToText()
    {
        var widths = Columns.Select((c, i) => Rows.Select(r => r[i].Length).Append(c.Length).Max()).ToList();
        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd();

        var text = new StringBuilder().AppendLine(Title).AppendLine(Line(Columns));
        foreach (var row in Rows)
        {
            text.AppendLine(Line(row));
        }

        foreach (var note in Notes)
        {
            text.AppendLine("  " + note);
        }

        return text.ToString();
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder().AppendLine($"### {Title}").AppendLine()
            .AppendLine($"| {string.Join(" | ", Columns)} |")
            .AppendLine($"|{string.Join("|", Columns.Select((_, i) => i == 0 ? "---" : "---:"))}|");
        foreach (var row in Rows)
        {
            text.AppendLine($"| {string.Join(" | ", row)} |");
        }

        text.AppendLine();
        foreach (var note in Notes)
        {
            text.AppendLine($"- {note}");
        }

        return text.AppendLine().ToString();
    }
}
