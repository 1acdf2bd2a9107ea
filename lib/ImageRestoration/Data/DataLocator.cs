namespace ImageRestoration.Data;

/// <summary>
/// Finds the MNIST files, in order: an explicit directory; the directory in
/// the <c>IMAGE_RESTORATION_DATA</c> environment variable; the download cache
/// under the repository's <c>data/</c>; else a download into that cache.
/// Any directory with the four standard file names works, so Fashion-MNIST
/// loads the same way.
/// </summary>
public static class DataLocator
{
    public const string EnvironmentVariable = "IMAGE_RESTORATION_DATA";

    /// <summary>
    /// The download cache: <c>data/cache/mnist</c> in the repository that holds
    /// the working directory or this program, else under the user's cache folder.
    /// </summary>
    public static string DefaultCacheDirectory
    {
        get
        {
            var root = RepositoryRoot.Find();
            return root is not null
                ? Path.Combine(root, "data", "cache", "mnist")
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "image-restoration", "mnist");
        }
    }

    /// <summary>Returns a directory holding all four files, downloading into the cache if nothing else has them.</summary>
    public static string Resolve(string? explicitDirectory = null, string? cacheDirectory = null, TextWriter? log = null) =>
        Resolve(downloader: null, explicitDirectory, cacheDirectory, log);

    /// <summary>As the public overload, downloading with <paramref name="downloader"/> (the tests' local mirror); null for the default mirrors.</summary>
    internal static string Resolve(MnistDownloader? downloader, string? explicitDirectory = null,
        string? cacheDirectory = null, TextWriter? log = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
            return RequireComplete(explicitDirectory, "the data directory given");
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return RequireComplete(fromEnvironment, $"{EnvironmentVariable}");

        var cache = cacheDirectory ?? DefaultCacheDirectory;
        if (MnistFiles.IsComplete(cache)) return cache;
        try
        {
            (downloader ?? new MnistDownloader()).DownloadMissing(cache, log);
            return cache;
        }
        catch (IOException e)
        {
            throw new DataNotFoundException(
                $"MNIST was not found and could not be downloaded into {cache}.{Environment.NewLine}" +
                $"Put the four files ({string.Join(", ", MnistFiles.All)}; .gz or raw) into a directory and pass it " +
                $"as the data directory (--data DIR, or dataDirectory in the configuration) or set {EnvironmentVariable}=DIR; " +
                $"or copy them into {cache}.{Environment.NewLine}Download errors: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataNotFoundException($"MNIST was not found and the cache {cache} cannot be written: {e.Message}", e);
        }
    }

    private static string RequireComplete(string directory, string origin)
    {
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
            throw new DataNotFoundException($"Data directory {full} (from {origin}) does not exist.");
        var missing = MnistFiles.All.Where(name => MnistFiles.Find(full, name) is null).ToList();
        if (missing.Count > 0)
            throw new DataNotFoundException(
                $"Data directory {full} (from {origin}) lacks {string.Join(", ", missing.Select(m => m + "(.gz)"))}.");
        return full;
    }
}

/// <summary>The data set is neither where we were told to look nor downloadable.</summary>
internal sealed class DataNotFoundException(string message, Exception? inner = null) : IOException(message, inner);
