using System.Text.Json.Nodes;

namespace ImageRestoration.NotebookRunner;

/// <summary>A cell's outputs in Jupyter's format (nbformat 4), built from the kernel's events.</summary>
public sealed class CellOutputs
{
    private readonly Dictionary<string, JsonObject> displays = [];

    public JsonArray Outputs { get; } = [];

    /// <summary>Everything the cell wrote to standard output.</summary>
    public string StandardOutput => string.Concat(Outputs.OfType<JsonObject>()
        .Where(o => (string?)o["output_type"] == "stream" && (string?)o["name"] == "stdout").Select(o => (string?)o["text"]));

    /// <summary>How many outputs carry HTML (charts, tables).</summary>
    public int HtmlOutputs => Outputs.OfType<JsonObject>().Count(o => o["data"]?["text/html"] is not null);

    /// <summary>DisplayedValueProduced / Updated and ReturnValueProduced: their formatted values by MIME type.</summary>
    public void Display(JsonObject @event, string eventType, int executionCount)
    {
        var data = new JsonObject();
        foreach (var value in @event["formattedValues"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if ((bool?)value["suppressDisplay"] == true || (string?)value["mimeType"] is not { } mime) continue;
            var text = (string?)value["value"] ?? "";
            data[mime] = mime == "text/html" ? WithoutPlotlyJs(text) : text;
        }
        if (data.Count == 0) return;
        var valueId = (string?)@event["valueId"];
        if (eventType == "DisplayedValueUpdated" && valueId is not null && displays.TryGetValue(valueId, out var shown))
        {
            shown["data"] = data;
            return;
        }
        var output = eventType == "ReturnValueProduced"
            ? new JsonObject { ["output_type"] = "execute_result", ["execution_count"] = executionCount, ["data"] = data, ["metadata"] = new JsonObject() }
            : new JsonObject { ["output_type"] = "display_data", ["data"] = data, ["metadata"] = new JsonObject() };
        Outputs.Add(output);
        if (valueId is not null) displays[valueId] = output;
    }

    /// <summary>
    /// Marks the script element in which the display library sends plotly.js
    /// to a live notebook, once per kernel (ImageRestoration.Charts.ChartHtml.PlotlyJsMarker).
    /// </summary>
    public const string PlotlyJsMarker = "data-image-restoration=\"plotly.js\"";

    /// <summary>
    /// The HTML without the marked plotly.js script element: an executed copy
    /// is for reading anywhere, where the charts' pictures show, and 3.6 MB of
    /// script in it would be dead weight (and is refused in a committed notebook).
    /// </summary>
    public static string WithoutPlotlyJs(string html)
    {
        while (html.IndexOf(PlotlyJsMarker, StringComparison.Ordinal) is var marker and >= 0)
        {
            var start = html.LastIndexOf("<script", marker, StringComparison.Ordinal);
            var end = html.IndexOf("</script>", marker, StringComparison.Ordinal);
            if (start < 0 || end < 0) break;
            html = html[..start] + html[(end + "</script>".Length)..];
        }
        return html;
    }

    /// <summary>StandardOutputValueProduced / StandardErrorValueProduced, merged with the stream just before.</summary>
    public void Stream(string name, JsonObject @event)
    {
        var text = string.Concat(@event["formattedValues"]?.AsArray().OfType<JsonObject>().Select(v => (string?)v["value"]) ?? []);
        if (text.Length == 0) return;
        if (Outputs.Count > 0 && Outputs[^1] is JsonObject last && (string?)last["output_type"] == "stream" && (string?)last["name"] == name)
        {
            last["text"] = (string?)last["text"] + text;
            return;
        }
        Outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text });
    }

    /// <summary>An error output: the exception's type, its message and the rest as traceback.</summary>
    public void Error(string message)
    {
        var lines = message.Replace("\r\n", "\n").Split('\n');
        var colon = lines[0].IndexOf(": ", StringComparison.Ordinal);
        var name = colon > 0 && !lines[0][..colon].Contains(' ') && !lines[0].StartsWith('(') ? lines[0][..colon] : "Error";
        var value = name == "Error" ? lines[0] : lines[0][(colon + 2)..];
        Outputs.Add(new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = name,
            ["evalue"] = value,
            ["traceback"] = new JsonArray(lines.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
        });
    }
}
