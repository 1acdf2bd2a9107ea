using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ImageRestoration.NotebookRunner;

/// <summary>
/// What a notebook committed with its outputs records about the run that made
/// them, and the rules CI holds it to:
/// <list type="bullet">
/// <item>the notebook's metadata <c>image_restoration.run</c>: profile, date, command;</item>
/// <item>each code cell's metadata <c>image_restoration.source_sha256</c>: the hash of the source its outputs came from;</item>
/// <item>an output whose cell's source no longer has that hash is stale;</item>
/// <item>no output references an external URL (a CDN script, a remote picture);</item>
/// <item>a notebook's outputs weigh at most 2 MB (no copy of plotly.js, no pile of progress lines).</item>
/// </list>
/// </summary>
public static partial class CommittedOutputs
{
    public const string MetadataKey = "image_restoration";
    public const int MaxOutputBytes = 2 * 1024 * 1024;

    /// <summary>The SHA-256 of a cell's source (line endings as they are), in lowercase hex.</summary>
    public static string SourceHash(string source) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)));

    /// <summary>Records the run in the notebook's metadata and each code cell's source hash in the cell's metadata.</summary>
    public static void Stamp(JsonObject notebook, string profile, string command, DateTimeOffset date)
    {
        var metadata = notebook["metadata"] as JsonObject ?? (JsonObject)(notebook["metadata"] = new JsonObject());
        metadata[MetadataKey] = new JsonObject
        {
            ["run"] = new JsonObject
            {
                ["profile"] = profile,
                ["date"] = date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["command"] = command,
            },
        };
        foreach (var cell in Cells(notebook).Where(c => (string?)c["cell_type"] == "code"))
        {
            var cellMetadata = cell["metadata"] as JsonObject ?? (JsonObject)(cell["metadata"] = new JsonObject());
            cellMetadata[MetadataKey] = new JsonObject { ["source_sha256"] = SourceHash(NotebookPage.Source(cell["source"])) };
        }
    }

    /// <summary>Everything wrong with a committed notebook's outputs, one sentence each; empty when it is fine.</summary>
    public static IReadOnlyList<string> Problems(JsonObject notebook)
    {
        var problems = new List<string>();
        var weight = 0L;
        var cells = Cells(notebook);
        for (var index = 0; index < cells.Count; index++)
        {
            var cell = cells[index];
            if (cell["outputs"] is not JsonArray { Count: > 0 } outputs) continue;
            weight += Encoding.UTF8.GetByteCount(outputs.ToJsonString(Relaxed));
            var text = string.Join("\n", Strings(outputs));
            var recorded = (string?)cell["metadata"]?[MetadataKey]?["source_sha256"];
            if (recorded is null)
                problems.Add($"cell {index + 1} has outputs but no recorded source hash (metadata {MetadataKey}.source_sha256): run the notebook with the runner's --write-back");
            else if (recorded != SourceHash(NotebookPage.Source(cell["source"])))
                problems.Add($"cell {index + 1} was edited after its outputs were made (its source hash no longer matches): run the notebook again with --write-back");
            foreach (Match url in ExternalUrlPattern().Matches(text).Take(3))
                problems.Add($"cell {index + 1} has an output that references an external URL: {url.Value}");
            if (text.Contains(CellOutputs.PlotlyJsMarker, StringComparison.Ordinal))
                problems.Add($"cell {index + 1} has an output that carries a copy of plotly.js");
        }
        if (weight > MaxOutputBytes)
            problems.Add($"its outputs weigh {weight / 1024.0 / 1024.0:F2} MB, over the {MaxOutputBytes / 1024 / 1024} MB allowed");
        return problems;
    }

    /// <summary>As the file holds it: HTML characters as they are.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Every string inside a JSON value: the outputs' texts, HTML, pictures.</summary>
    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.SelectMany(Strings),
        JsonObject obj => obj.SelectMany(p => Strings(p.Value)),
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

    private static List<JsonObject> Cells(JsonObject notebook) => (notebook["cells"] as JsonArray ?? []).OfType<JsonObject>().ToList();

    /// <summary>http(s) URLs, and protocol-relative ones (//host/...) where an attribute or a text starts one.</summary>
    [GeneratedRegex(@"(?:https?:|(?<=^|[""'(=\s]))//[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^\s""'<>\\]*)?", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrlPattern();
}
