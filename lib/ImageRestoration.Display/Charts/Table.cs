using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using ImageRestoration.Studies;

namespace ImageRestoration.Charts;

/// <summary>
/// A table to show: its column headers and its cells, written once as text,
/// then drawn as HTML in a notebook (<see cref="ToHtml"/>) or as aligned
/// columns on a console (<see cref="ToString"/>). In a notebook:
/// <c>display(Table.Of(rows))</c>. Numbers are written with the invariant
/// culture: whole numbers with thousands separators (4,385), others with four
/// significant digits.
/// </summary>
public sealed class Table
{
    private readonly IReadOnlyList<IReadOnlyList<TableCell>> cells;
    private readonly bool aligned;

    private Table(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<TableCell>> cells, bool aligned)
    {
        Headers = headers;
        this.cells = cells;
        this.aligned = aligned;
    }

    public IReadOnlyList<string> Headers { get; }

    /// <summary>The cells' text, row by row.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => cells.Select(row => (IReadOnlyList<string>)row.Select(c => c.Text).ToList()).ToList();

    /// <summary>A list of records, one column per public property in declaration order; numbers aligned right.</summary>
    public static Table Of<T>(IEnumerable<T> rows)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken).ToList();
        var cells = rows.Select(row => (IReadOnlyList<TableCell>)properties.Select(p => p.GetValue(row))
            .Select(value => new TableCell(Format(value), value is int or long or double or float or decimal)).ToList()).ToList();
        return new Table(properties.Select(p => p.Name).ToList(), cells, aligned: true);
    }

    /// <summary>A study's main table (the same columns as its Markdown).</summary>
    public static Table Of(StudyTable table)
    {
        var (headers, rows) = table.Cells();
        return new Table(headers, rows.Select(row => (IReadOnlyList<TableCell>)row.Select(c => new TableCell(c, false)).ToList()).ToList(), aligned: false);
    }

    /// <summary>The table as HTML, every text encoded.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder("<table>\n<thead><tr>");
        foreach (var header in Headers)
            html.Append(aligned ? "<th style=\"text-align:left\">" : "<th>").Append(WebUtility.HtmlEncode(header)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in cells)
        {
            html.Append("<tr>");
            foreach (var cell in row)
                html.Append(aligned ? $"<td style=\"text-align:{(cell.Number ? "right" : "left")}\">" : "<td>")
                    .Append(WebUtility.HtmlEncode(cell.Text)).Append("</td>");
            html.Append("</tr>\n");
        }
        return html.Append("</tbody>\n</table>").ToString();
    }

    /// <summary>The table as text: a line per row, columns padded to their widest cell.</summary>
    public override string ToString()
    {
        List<IReadOnlyList<string>> lines = [Headers, .. Rows];
        var widths = Enumerable.Range(0, Headers.Count).Select(i => lines.Max(line => i < line.Count ? line[i].Length : 0)).ToList();
        return string.Join(Environment.NewLine, lines.Select(line => string.Join("  ", line.Select((text, i) => text.PadRight(widths[i]))).TrimEnd()));
    }

    /// <summary>How a table writes a value.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        int or long => ((IFormattable)value).ToString("N0", CultureInfo.InvariantCulture),
        double d => FormatNumber(d),
        float f => FormatNumber(f),
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable items and not string => string.Join(", ", items.Cast<object?>().Select(Format)),
        _ => value.ToString() ?? "",
    };

    private static string FormatNumber(double value) =>
        !double.IsFinite(value) ? value.ToString(CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 1e4 ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>A cell's text, and whether it is a number (aligned right in HTML).</summary>
    private sealed record TableCell(string Text, bool Number);
}
