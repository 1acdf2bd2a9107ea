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
/// <item>a notebook's outputs weigh at most 2 MB (no copy of plotly.js, no pile of progress lines);</item>
/// <item>no output shows an absolute path of the machine that ran it (its checkout, its home, its data folder):
/// <see cref="Stamp"/> writes the repository's folders relative to it and the home folder as <c>~</c>.</item>
/// </list>
/// </summary>
public static partial class CommittedOutputs
{
    public const string MetadataKey = "image_restoration";
    public const int MaxOutputBytes = 2 * 1024 * 1024;

    /// <summary>The SHA-256 of a cell's source (line endings as they are), in lowercase hex.</summary>
    public static string SourceHash(string source) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)));

    /// <summary>
    /// Records the run in the notebook's metadata and each code cell's source
    /// hash in the cell's metadata, and writes the machine's folders in the
    /// outputs as a reader's: relative to the repository, or under <c>~</c>.
    /// </summary>
    public static void Stamp(JsonObject notebook, string profile, string command, DateTimeOffset date)
    {
        var prefixes = MachinePrefixes(RepositoryRoot.Find(), System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile));
        foreach (var cell in Cells(notebook))
            if (cell["outputs"] is JsonArray outputs) HideMachinePaths(outputs, prefixes);
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
            foreach (Match path in AbsolutePathPattern().Matches(text).Take(3))
                problems.Add($"cell {index + 1} has an output that shows an absolute path of the machine that ran it: {path.Value}");
            if (text.Contains(CellOutputs.PlotlyJsMarker, StringComparison.Ordinal))
                problems.Add($"cell {index + 1} has an output that carries a copy of plotly.js");
        }
        if (weight > MaxOutputBytes)
            problems.Add($"its outputs weigh {weight / 1024.0 / 1024.0:F2} MB, over the {MaxOutputBytes / 1024 / 1024} MB allowed");
        return problems;
    }

    /// <summary>
    /// The folders to hide and what replaces each, longest first (a checkout
    /// under the home folder becomes relative, not <c>~/...</c>): the
    /// repository (its files print relative to it), its parent (a folder beside
    /// it, as the shared data, prints as <c>../</c>) and the home folder (<c>~/</c>).
    /// </summary>
    private static IReadOnlyList<(string Prefix, string Replacement)> MachinePrefixes(string? repository, string? home)
    {
        var prefixes = new List<(string Prefix, string Replacement)>();
        if (!string.IsNullOrEmpty(repository))
        {
            var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(repository));
            prefixes.Add((root + "/", ""));
            if (Path.GetDirectoryName(root) is { Length: > 1 } parent) prefixes.Add((Path.TrimEndingDirectorySeparator(parent) + "/", "../"));
        }
        if (!string.IsNullOrEmpty(home) && Path.TrimEndingDirectorySeparator(Path.GetFullPath(home)) is { Length: > 1 } homeFolder)
        {
            prefixes.Add((homeFolder + "/", "~/"));
            // The kernel names the extensions it loads from the NuGet cache: a reader needs the package, not the cache's
            // folder. "(NuGet packages) skiasharp/..." keeps the package's path relative, so it never reads as a root folder.
            var packages = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 1 } configured
                ? Path.GetFullPath(configured) : Path.Combine(homeFolder, ".nuget", "packages");
            prefixes.Add((Path.TrimEndingDirectorySeparator(packages) + "/", NuGetPackages + " "));
        }
        return [.. prefixes.OrderByDescending(p => p.Prefix.Length)];
    }

    /// <summary>Every string in the outputs with the machine's folders replaced (<see cref="MachinePrefixes"/>).</summary>
    private static void HideMachinePaths(JsonNode? node, IReadOnlyList<(string Prefix, string Replacement)> prefixes)
    {
        if (node is JsonArray array)
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonValue value && value.TryGetValue<string>(out var text)) array[i] = Hide(text, prefixes);
                else HideMachinePaths(array[i], prefixes);
            }
        else if (node is JsonObject obj)
            foreach (var key in obj.Select(p => p.Key).ToList())
            {
                if (obj[key] is JsonValue value && value.TryGetValue<string>(out var text)) obj[key] = Hide(text, prefixes);
                else HideMachinePaths(obj[key], prefixes);
            }
    }

    private static string Hide(string text, IReadOnlyList<(string Prefix, string Replacement)> prefixes) =>
        prefixes.Aggregate(text, (current, p) => current.Replace(p.Prefix, p.Replacement, StringComparison.Ordinal));

    /// <summary>What stands for the NuGet packages folder in stamped outputs.</summary>
    public const string NuGetPackages = "(NuGet packages)";

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

    /// <summary>
    /// An absolute path of a machine where a text starts one: under a usual top folder of Linux or macOS (file:// included),
    /// a path under a home folder (<c>~/...</c>), or a Windows drive. Text such as <c>text/html</c> or <c>10/2</c> is not one.
    /// </summary>
    [GeneratedRegex(@"(?<=^|[\s""'`(=\[>:])~/[^\s""'<>`)\]]*|(?:(?<=^|[\s""'`(=\[>:])|file://)/(?:home|root|work|workspaces?|tmp|usr|opt|mnt|var|srv|Users|Volumes|private|builds?|runner)/[^\s""'<>`)\]]*|(?<![A-Za-z0-9])[A-Za-z]:\\(?:[^\s""'<>\\]+\\)+[^\s""'<>]*", RegexOptions.Multiline)]
    private static partial Regex AbsolutePathPattern();
}
