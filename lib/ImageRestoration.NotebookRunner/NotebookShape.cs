using System.Text.Json;
using System.Text.Json.Nodes;

namespace ImageRestoration.NotebookRunner;

/// <summary>
/// Reads a notebook for --check and --export only once its JSON has the shape
/// of nbformat 4: size first (a file over the limit is refused unread), then
/// every field the runner uses, with its type, and no unknown key at the top
/// or in a cell. A problem is one line naming the field by its path
/// (<c>cells[2].source</c>), never an exception from deep inside a page writer.
/// </summary>
internal static class NotebookShape
{
    /// <summary>The largest notebook read: committed notebooks weigh well under 10 MB.</summary>
    private const int MaxBytes = 64 << 20;

    private static readonly string[] TopKeys = ["cells", "metadata", "nbformat", "nbformat_minor"];
    private static readonly string[] CellKeys = ["cell_type", "source", "metadata", "outputs", "execution_count", "id", "attachments"];
    private static readonly string[] CellTypes = ["code", "markdown", "raw"];

    /// <summary>The notebook, or null and the first problem found.</summary>
    public static (JsonObject? Document, string? Problem) Read(string path)
    {
        try
        {
            var node = JsonNode.Parse(BoundedFile.ReadAllText(path, MaxBytes, "a notebook"),
                documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
            return Problem(node) is { } problem ? (null, $"it is not a notebook: {problem}") : (node!.AsObject(), null);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return (null, $"it is not a notebook: {e.Message}");
        }
    }

    private static string? Problem(JsonNode? node)
    {
        if (node is not JsonObject document) return "the JSON is not an object";
        if (Unknown(document, TopKeys, "") is { } unknown) return unknown;
        if (document["metadata"] is not (null or JsonObject)) return "metadata is not an object";
        if (document["cells"] is not JsonArray cells) return "cells is not a list";
        for (var i = 0; i < cells.Count; i++)
            if (CellProblem(cells[i], $"cells[{i}]") is { } problem) return problem;
        return null;
    }

    private static string? CellProblem(JsonNode? node, string at)
    {
        if (node is not JsonObject cell) return $"{at} is not an object";
        if (Unknown(cell, CellKeys, at + ".") is { } unknown) return unknown;
        if (cell["cell_type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String || !CellTypes.Contains((string)type!))
            return $"{at}.cell_type is not one of {string.Join(", ", CellTypes)}";
        if (!IsText(cell["source"])) return $"{at}.source is not a string or a list of strings";
        if (cell["metadata"] is not (null or JsonObject)) return $"{at}.metadata is not an object";
        if (cell["outputs"] is null) return null;
        if (cell["outputs"] is not JsonArray outputs) return $"{at}.outputs is not a list";
        for (var o = 0; o < outputs.Count; o++)
            if (OutputProblem(outputs[o], $"{at}.outputs[{o}]") is { } problem) return problem;
        return null;
    }

    private static string? OutputProblem(JsonNode? node, string at)
    {
        if (node is not JsonObject output) return $"{at} is not an object";
        if (output["output_type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String) return $"{at}.output_type is not a string";
        if (output["metadata"] is not (null or JsonObject)) return $"{at}.metadata is not an object";
        if (output["text"] is { } text && !IsText(text)) return $"{at}.text is not a string or a list of strings";
        if (output["traceback"] is { } traceback && !IsText(traceback)) return $"{at}.traceback is not a list of strings";
        if (output["data"] is null) return null;
        if (output["data"] is not JsonObject data) return $"{at}.data is not an object";
        foreach (var (mime, value) in data)
            if (value is not JsonObject && !IsText(value)) return $"{at}.data['{mime}'] is not a string, a list of strings or a JSON object";
        return null;
    }

    private static bool IsText(JsonNode? node) =>
        node is JsonValue value ? value.GetValueKind() == JsonValueKind.String
        : node is JsonArray lines && lines.All(l => l is JsonValue line && line.GetValueKind() == JsonValueKind.String);

    private static string? Unknown(JsonObject node, string[] known, string at) =>
        node.Select(p => p.Key).FirstOrDefault(k => !known.Contains(k)) is { } key
            ? $"{at}{key} is not a notebook key (known: {string.Join(", ", known)})"
            : null;
}
