namespace ImageRestoration;

/// <summary>
/// Source files of this library as compiled into it, so a notebook shows the
/// model and the training step that actually run, and cannot drift from them.
/// </summary>
public static class LibrarySource
{
    /// <summary>The files embedded (see the project file), by their path in <c>lib/ImageRestoration</c>.</summary>
    public static IReadOnlyList<string> Files { get; } =
        typeof(LibrarySource).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("source/", StringComparison.Ordinal)).Select(n => n["source/".Length..]).Order().ToList();

    /// <summary>The text of one embedded source file, such as <c>Models/Autoencoder.cs</c>.</summary>
    public static string Read(string file)
    {
        using var stream = typeof(LibrarySource).Assembly.GetManifestResourceStream("source/" + file)
                           ?? throw new FileNotFoundException($"{file} is not among the embedded sources: {string.Join(", ", Files)}.", file);
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>
    /// The lines of <paramref name="file"/> from the one holding <paramref name="from"/>
    /// up to the end of that member's braces, e.g. a constructor or a method.
    /// </summary>
    public static string Member(string file, string from)
    {
        var lines = Read(file).Split('\n');
        var start = Array.FindIndex(lines, l => l.Contains(from, StringComparison.Ordinal));
        if (start < 0) throw new ArgumentException($"{file} has no line containing '{from}'.", nameof(from));
        // Begin at the member's doc comment, if any.
        while (start > 0 && lines[start - 1].TrimStart().StartsWith("///", StringComparison.Ordinal)) start--;
        var depth = 0;
        var opened = false;
        for (var i = start; i < lines.Length; i++)
        {
            foreach (var c in lines[i])
            {
                if (c == '{') (depth, opened) = (depth + 1, true);
                else if (c == '}') depth--;
            }
            if (opened && depth == 0 || !opened && lines[i].TrimEnd().EndsWith(';') && lines[i].Contains("=>"))
                return string.Join('\n', lines[start..(i + 1)]).Replace("\r", "");
        }
        return string.Join('\n', lines[start..]).Replace("\r", "");
    }
}
