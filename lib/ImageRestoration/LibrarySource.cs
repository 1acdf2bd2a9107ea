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
}
