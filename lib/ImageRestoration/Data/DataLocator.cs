using System.Security.Cryptography;

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

/// <summary>The four standard files of an MNIST-family data set and MNIST's known checksums.</summary>
internal static class MnistFiles
{
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    public static readonly string[] All = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>SHA-256 of the .gz files the public mirrors serve.</summary>
    public static readonly IReadOnlyDictionary<string, string> PublishedGzipSha256 = new Dictionary<string, string>
    {
        [TrainImages] = "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        [TrainLabels] = "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        [TestImages] = "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        [TestLabels] = "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    };

    /// <summary>SHA-256 of the decompressed content, which re-compressed copies keep.</summary>
    public static readonly IReadOnlyDictionary<string, string> ContentSha256 = new Dictionary<string, string>
    {
        [TrainImages] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        [TrainLabels] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        [TestImages] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        [TestLabels] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    };

    /// <summary>The path of <paramref name="name"/> in <paramref name="directory"/>, compressed or raw, or null.</summary>
    public static string? Find(string directory, string name) =>
        new[] { name + ".gz", name }.Select(f => Path.Combine(directory, f)).FirstOrDefault(File.Exists);

    /// <summary>True when the directory holds all four files (each .gz or raw).</summary>
    public static bool IsComplete(string directory) => All.All(name => Find(directory, name) is not null);

    /// <summary>
    /// True when <paramref name="path"/> is the genuine MNIST file <paramref name="name"/>:
    /// either the exact .gz the mirrors publish, or any file whose decompressed content is MNIST's.
    /// </summary>
    public static bool IsGenuine(string name, string path, IReadOnlyDictionary<string, string>? gzipSha256 = null,
        IReadOnlyDictionary<string, string>? contentSha256 = null)
    {
        gzipSha256 ??= PublishedGzipSha256;
        contentSha256 ??= ContentSha256;
        using (var file = File.OpenRead(path))
            if (gzipSha256.TryGetValue(name, out var published) && Sha256(SHA256.HashData(file)) == published)
                return true;
        if (!contentSha256.TryGetValue(name, out var content)) return false;
        try
        {
            using var decompressed = IdxFile.OpenDecompressed(path);
            return Sha256(SHA256.HashData(decompressed)) == content;
        }
        catch (InvalidDataException)
        {
            return false; // a damaged gzip stream is not genuine
        }
    }

    private static string Sha256(byte[] hash) => Convert.ToHexStringLower(hash);
}
