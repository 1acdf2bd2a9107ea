using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ImageRestoration.NotebookRunner;

/// <summary>
/// Parameters the papermill way: a notebook's code cell tagged
/// <c>parameters</c> holds its defaults as C# variables; a run with
/// <c>-p NAME VALUE</c> gets a new cell after it, tagged
/// <c>injected-parameters</c>, that sets them again, written as papermill's
/// C# translator writes it (<c>// Parameters</c>, then <c>var name = value;</c>).
/// A value is read as papermill reads it: True/False, None, a whole number,
/// a number, else a string.
/// </summary>
public static partial class ParameterCell
{
    public const string Tag = "parameters";
    public const string InjectedTag = "injected-parameters";

    /// <summary>
    /// Inserts the injected cell after the parameters cell (replacing an
    /// earlier injected one). Throws <see cref="ArgumentException"/> naming the
    /// notebook when it has no parameters cell or the cell sets no such variable.
    /// </summary>
    public static void Inject(JsonObject notebook, IReadOnlyList<KeyValuePair<string, string>> parameters, string name)
    {
        var cells = notebook["cells"]!.AsArray();
        var index = cells.ToList().FindIndex(c => HasTag(c, Tag));
        if (index < 0) throw new ArgumentException($"{name} has no code cell tagged '{Tag}' to take -p values.");
        var declared = NotebookPage.Source(cells[index]!["source"]);
        foreach (var (parameter, _) in parameters)
            if (!Regex.IsMatch(declared, $@"\b{Regex.Escape(parameter)}\s*=(?!=)"))
                throw new ArgumentException($"-p {parameter}: {name}'s parameters cell sets no variable '{parameter}'.");
        if (index + 1 < cells.Count && HasTag(cells[index + 1], InjectedTag)) cells.RemoveAt(index + 1);
        var metadata = (cells[index]!["metadata"] as JsonObject)?.DeepClone() as JsonObject ?? new JsonObject();
        metadata["tags"] = new JsonArray(InjectedTag);
        metadata.Remove(CommittedOutputs.MetadataKey);
        cells.Insert(index + 1, new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = metadata,
            ["outputs"] = new JsonArray(),
            ["source"] = Source(parameters),
        });
        CellIds.Assign(notebook);
    }

    /// <summary>The injected cell's source: papermill's for C#.</summary>
    public static string Source(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var source = new StringBuilder("// Parameters\n");
        foreach (var (name, value) in parameters) source.Append($"var {name} = {Literal(value)};\n");
        return source.ToString();
    }

    /// <summary>A -p value as a C# literal, typed as papermill types it; throws <see cref="ArgumentException"/> for None.</summary>
    public static string Literal(string value)
    {
        if (value == "True") return "true";
        if (value == "False") return "false";
        // papermill's C# translator refuses None too: `var x = null;` has no type.
        if (value == "None") throw new ArgumentException("-p VALUE None: C# has no untyped null; leave the parameter out to keep the notebook's value.");
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            return whole is > int.MaxValue or < int.MinValue ? $"{whole}L" : whole.ToString(CultureInfo.InvariantCulture);
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            var text = number.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains('.') || text.Contains('E') ? text : text + ".0";
        }
        var escaped = new StringBuilder("\"");
        foreach (var c in value)
            escaped.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return escaped.Append('"').ToString();
    }

    /// <summary>Whether a cell carries the tag in its metadata (Jupyter's <c>metadata.tags</c>).</summary>
    public static bool HasTag(JsonNode? cell, string tag) =>
        (cell?["metadata"]?["tags"] as JsonArray)?.Any(t => (string?)t == tag) == true;

    /// <summary>A C# identifier (ASCII letters, digits, '_'; not starting with a digit).</summary>
    public static bool IsName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();
}
