using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ImageRestoration.NotebookRunner;

/// <summary>
/// nbformat 4.5 cell ids: every cell has an <c>id</c> (1 to 64 letters,
/// digits, '-' or '_'), unique in its notebook. A cell keeps its id for good
/// (the runner never changes one that is valid), so a diff, a comment or a
/// link can name it; a cell without one gets a new random id.
/// </summary>
public static partial class CellIds
{
    /// <summary>Gives every cell without a valid, unique id a new one and marks the notebook 4.5; returns how many it gave.</summary>
    public static int Assign(JsonObject notebook)
    {
        var cells = (notebook["cells"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var given = 0;
        foreach (var cell in cells)
        {
            var id = (string?)(cell["id"] as JsonValue);
            if (id is not null && IdPattern().IsMatch(id) && taken.Add(id)) continue;
            cell.Remove("id");
            // Where Jupyter writes it (keys in order): after cell_type and execution_count, before metadata.
            var later = cell.Select(p => p.Key).ToList().FindIndex(key => string.CompareOrdinal(key, "id") > 0);
            var index = later < 0 ? cell.Count : later;
            cell.Insert(index, "id", New(taken));
            given++;
        }
        if ((int?)notebook["nbformat"] == 4 && ((int?)notebook["nbformat_minor"] ?? 0) < 5) notebook["nbformat_minor"] = 5;
        return given;
    }

    /// <summary>A fresh id for a new cell, unique among <paramref name="taken"/> (which it joins).</summary>
    public static string New(ISet<string> taken)
    {
        string id;
        do id = Guid.NewGuid().ToString("N")[..8]; while (!taken.Add(id));
        return id;
    }

    [GeneratedRegex("^[a-zA-Z0-9-_]{1,64}$")]
    private static partial Regex IdPattern();
}
