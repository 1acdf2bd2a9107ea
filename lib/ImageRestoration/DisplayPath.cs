namespace ImageRestoration;

/// <summary>
/// A path as the kit prints it: relative to the repository when inside it or
/// beside it (<c>runs/notebooks/class/...</c>, <c>../shared/data/mnist</c>),
/// with <c>~</c> under the home folder, so that printed output (and the
/// notebooks committed with it) never shows the folders of the machine that
/// made it. A path elsewhere is one the user chose and is printed as given.
/// </summary>
public static class DisplayPath
{
    /// <summary>The path for output, with the repository found from the working directory or this program.</summary>
    public static string Of(string path) =>
        Of(path, RepositoryRoot.Find(), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The path for output, relative to <paramref name="repository"/> or under <paramref name="home"/> (either may be null).</summary>
    public static string Of(string path, string? repository, string? home)
    {
        if (string.IsNullOrEmpty(path) || !Path.IsPathFullyQualified(path)) return path;
        var full = Path.GetFullPath(path);
        if (!string.IsNullOrEmpty(repository))
        {
            var root = Path.GetFullPath(repository);
            if (IsWithin(full, root)) return Relative(root, full);
            // Beside the checkout, as the shared data folder is: ../shared/data/mnist.
            if (Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root)) is { Length: > 1 } parent && IsWithin(full, parent))
                return Relative(root, full);
        }
        if (!string.IsNullOrEmpty(home) && Path.GetFullPath(home) is var homeFull && homeFull.Length > 1 && IsWithin(full, homeFull))
            return Path.Join("~", Path.GetRelativePath(homeFull, full) is "." ? "" : Path.GetRelativePath(homeFull, full));
        return path;
    }

    private static bool IsWithin(string path, string folder)
    {
        var prefix = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal) || path == Path.TrimEndingDirectorySeparator(folder);
    }

    private static string Relative(string root, string full) => Path.GetRelativePath(root, full);
}
