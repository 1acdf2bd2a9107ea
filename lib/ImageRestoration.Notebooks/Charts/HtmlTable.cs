using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using ImageRestoration.Studies;

namespace ImageRestoration.Charts;

/// <summary>
/// A list of records as an HTML table, one column per public property in
/// declaration order. In a notebook: <c>HTML(HtmlTable.Of(rows))</c>.
/// Numbers are written with the invariant culture: whole numbers with
/// thousands separators (4,385), others with four significant digits.
/// </summary>
public static class HtmlTable
{
    public static string Of<T>(IEnumerable<T> rows)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken).ToList();
        var html = new StringBuilder("<table>\n<thead><tr>");
        foreach (var property in properties)
            html.Append("<th style=\"text-align:left\">").Append(WebUtility.HtmlEncode(property.Name)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var property in properties)
            {
                var value = property.GetValue(row);
                var align = value is int or long or double or float or decimal ? "right" : "left";
                html.Append($"<td style=\"text-align:{align}\">").Append(WebUtility.HtmlEncode(Format(value))).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        return html.Append("</tbody>\n</table>").ToString();
    }

    /// <summary>A study's main table (the same columns as its Markdown), in a notebook: <c>HTML(HtmlTable.Of(table))</c>.</summary>
    public static string Of(StudyTable table)
    {
        var (headers, cells) = table.Cells();
        var html = new StringBuilder("<table>\n<thead><tr>");
        foreach (var header in headers) html.Append("<th>").Append(WebUtility.HtmlEncode(header)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in cells)
            html.Append("<tr>").AppendJoin("", row.Select(c => "<td>" + WebUtility.HtmlEncode(c) + "</td>")).Append("</tr>\n");
        return html.Append("</tbody>\n</table>").ToString();
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
}
