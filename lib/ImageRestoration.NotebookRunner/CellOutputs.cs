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
            data[mime] = (string?)value["value"] ?? "";
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
