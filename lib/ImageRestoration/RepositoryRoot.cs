namespace ImageRestoration;

/// <summary>
/// Finds the checkout of this repository, for defaults such as the data cache.
/// The notebook runner compiles this file too; its copy is internal as this
/// one is, so code that references both sees one type.
/// </summary>
internal static class RepositoryRoot
{
    private const string Marker = "ImageRestoration.sln";

    /// <summary>The nearest folder holding ImageRestoration.sln above the working directory or this program; null if none.</summary>
    public static string? Find() =>
        new[] { Environment.CurrentDirectory, AppContext.BaseDirectory }
            .Select(FindAbove).FirstOrDefault(r => r is not null);

    private static string? FindAbove(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, Marker)))
                return directory.FullName;
        return null;
    }
}
