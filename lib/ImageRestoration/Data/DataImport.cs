// The presentation's data import: find the MNIST files (or another data set
// in the same format), check them, read their IDX arrays and scale them to
// float32 in [0,1], N x 1 x 28 x 28.

using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using static TorchSharp.torch;

namespace ImageRestoration.Data;

/// <summary>
/// The presentation's "Data import": uint8 images become float32 in [0,1]
/// (divided by 255) shaped N x 1 x 28 x 28, with their labels kept for the grids.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    private readonly string imagesFile;

    private ImageDataset(Tensor images, byte[] labels, string source, string imagesFile)
    {
        Images = images;
        Labels = labels;
        Source = source;
        this.imagesFile = imagesFile;
    }

    /// <summary>N x 1 x H x W, float32, values in [0,1].</summary>
    public Tensor Images { get; }

    public byte[] Labels { get; }

    /// <summary>Where the images were read from.</summary>
    public string Source { get; }

    public int Count => Labels.Length;

    /// <summary>
    /// Reads one split from a directory holding the four standard files (.gz or raw).
    /// A positive <paramref name="limit"/> keeps only the first that many images.
    /// </summary>
    public static ImageDataset Load(string directory, DatasetSplit split, int limit = 0)
    {
        TorchRuntime.Initialize();
        var (imagesName, labelsName) = split == DatasetSplit.Train
            ? (MnistFiles.TrainImages, MnistFiles.TrainLabels)
            : (MnistFiles.TestImages, MnistFiles.TestLabels);
        var imagesPath = MnistFiles.Find(directory, imagesName)
                         ?? throw new FileNotFoundException($"{Path.Combine(directory, imagesName)}(.gz) not found.");
        var labelsPath = MnistFiles.Find(directory, labelsName)
                         ?? throw new FileNotFoundException($"{Path.Combine(directory, labelsName)}(.gz) not found.");

        var images = IdxFile.Read(imagesPath);
        if (images.Dimensions.Length != 3)
            throw new InvalidDataException(
                $"{imagesPath}: images must have 3 dimensions (count x height x width), found {images.Dimensions.Length} ({string.Join("x", images.Dimensions)}).");
        var labels = IdxFile.Read(labelsPath);
        if (labels.Dimensions.Length != 1)
            throw new InvalidDataException($"{labelsPath}: labels must have 1 dimension, found {labels.Dimensions.Length}.");
        if (labels.Count != images.Count)
            throw new InvalidDataException(
                $"{imagesPath} holds {images.Count} images but {labelsPath} holds {labels.Count} labels: the pair does not match.");
        if (images.Count == 0) throw new InvalidDataException($"{imagesPath}: holds no images.");
        if (limit < 0) throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be 0 (all) or positive.");

        var count = limit > 0 ? Math.Min(limit, images.Count) : images.Count;
        var (height, width) = (images.Dimensions[1], images.Dimensions[2]);
        using var bytes = tensor(images.Data, [images.Count, 1, height, width], ScalarType.Byte);
        using var kept = bytes.narrow(0, 0, count);
        var floats = kept.to(ScalarType.Float32).div_(255f);
        return new ImageDataset(floats, labels.Data[..count], directory, imagesPath);
    }

    /// <summary>Refuses images of another size than a model takes, before any of them reaches the model.</summary>
    public void RequireImageSize(int height, int width)
    {
        var (h, w) = (Images.shape[2], Images.shape[3]);
        if (h != height || w != width)
            throw new InvalidDataException($"{imagesFile}: the images are {h}x{w}; the configuration and its model take {height}x{width} (imageHeight x imageWidth).");
    }

    public void Dispose() => Images.Dispose();
}

/// <summary>
/// Which data a run was trained on: the absolute folder it was read from and
/// the SHA-256 of each standard file's decompressed content. Two folders with
/// the same content are the same data; one folder whose files changed is not.
/// </summary>
internal sealed record DataFingerprint(string Directory, IReadOnlyDictionary<string, string> ContentSha256)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static DataFingerprint Of(string directory)
    {
        var full = Path.GetFullPath(directory);
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in MnistFiles.All)
        {
            var path = MnistFiles.Find(full, name) ?? throw new FileNotFoundException($"{Path.Combine(full, name)}(.gz) not found.");
            try
            {
                using var content = IdxFile.OpenDecompressed(path);
                hashes[name] = Convert.ToHexStringLower(SHA256.HashData(content));
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{path}: gzip integrity error: the compressed data is damaged or truncated.", e);
            }
        }
        return new DataFingerprint(full, hashes);
    }

    public bool SameContentAs(DataFingerprint other) =>
        ContentSha256.Count == other.ContentSha256.Count &&
        ContentSha256.All(p => other.ContentSha256.TryGetValue(p.Key, out var h) && h == p.Value);

    public string ToJson() => JsonSerializer.Serialize(new { Directory, ContentSha256 = new SortedDictionary<string, string>(ContentSha256.ToDictionary()) }, JsonOptions);

    public static DataFingerprint FromJson(string json, string source)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize<DataFingerprint>(json, JsonOptions);
            if (parsed?.Directory is null || parsed.ContentSha256 is null) throw new JsonException("a field is missing");
            return parsed;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a data fingerprint ({e.Message}).", e);
        }
    }
}

/// <summary>
/// One array in the IDX format of the MNIST family: a magic number (two zero
/// bytes, a type code, the number of dimensions), big-endian 32-bit sizes, then
/// the values. Only unsigned bytes (type 0x08), the type MNIST uses, are read.
/// </summary>
internal sealed class IdxFile
{
    private const byte UnsignedByte = 0x08;

    private IdxFile(string path, int[] dimensions, byte[] data)
    {
        Path = path;
        Dimensions = dimensions;
        Data = data;
    }

    public string Path { get; }
    public int[] Dimensions { get; }
    public byte[] Data { get; }

    /// <summary>The number of items: the first dimension.</summary>
    public int Count => Dimensions[0];

    /// <summary>
    /// Reads a raw or gzip-compressed IDX file and checks that it holds exactly
    /// what its header promises. The values are read straight into one array
    /// of the promised size: 47 MB for MNIST's training images, where reading
    /// the whole file first and cutting off the header made four more copies.
    /// </summary>
    public static IdxFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file not found: {path}", path);
        using var stream = OpenDecompressed(path);
        var dimensions = ReadHeader(stream, path);
        var expected = DataLength(dimensions, path);
        // The file's own length is checked before the array is allocated, so a lying header costs nothing.
        CheckStoredLength(path, 4 + 4 * dimensions.Length, expected, string.Join("x", dimensions));
        return new IdxFile(path, dimensions, ReadData(stream, path, expected, dimensions));
    }

    /// <summary>The magic number (unsigned bytes only) and the sizes of the dimensions.</summary>
    private static int[] ReadHeader(Stream stream, string path)
    {
        Span<byte> magic = stackalloc byte[4];
        var read = Fill(stream, magic, path);
        if (read < 4)
            throw new InvalidDataException($"{path}: {read} bytes is too short for an IDX header (4 bytes of magic number).");
        if (magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException(
                $"{path}: not an IDX file: the magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):X8} does not start with two zero bytes.");
        if (magic[2] != UnsignedByte)
            throw new InvalidDataException(
                $"{path}: IDX type code 0x{magic[2]:X2} is not supported; only unsigned bytes (0x08), as in MNIST, are.");
        int rank = magic[3];
        if (rank < 1)
            throw new InvalidDataException($"{path}: the IDX header declares {rank} dimensions; at least 1 is needed.");

        var sizes = new byte[4 * rank];
        read = Fill(stream, sizes, path);
        if (read < sizes.Length)
            throw new InvalidDataException(
                $"{path}: truncated header: {rank} dimensions need {4 + sizes.Length} header bytes, the file holds {4 + read}.");
        var dimensions = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(sizes.AsSpan(4 * d));
            if (dimensions[d] < 0) throw new InvalidDataException($"{path}: dimension {d} has a negative size ({dimensions[d]}).");
        }
        return dimensions;
    }

    /// <summary>The number of data bytes the header promises, checked as the product grows: four sizes of 2^31-1 overflow even a 64-bit count.</summary>
    private static long DataLength(int[] dimensions, string path)
    {
        long expected = 1;
        foreach (var size in dimensions)
            if (size == 0) expected = 0;
            else if (expected > Array.MaxLength / size)
                throw new InvalidDataException($"{path}: the header's sizes ({string.Join("x", dimensions)}) promise more data bytes than one array holds.");
            else expected *= size;
        return expected;
    }

    /// <summary>Refuses a file whose stored length (or gzip trailer) disagrees with the header.</summary>
    private static void CheckStoredLength(string path, int header, long expected, string shape)
    {
        var stored = StoredLength(path);
        if (stored.Gzip && stored.Length != ((header + expected) & uint.MaxValue))
            throw new InvalidDataException(
                $"{path}: the gzip trailer records {stored.Length} decompressed bytes but the IDX header promises {header + expected} ({shape}): " +
                "the file is damaged, truncated, or has bytes after its gzip stream.");
        if (!stored.Gzip && stored.Length < header + expected)
            throw new InvalidDataException(
                $"{path}: truncated: the header promises {expected} data bytes ({shape}), the file holds {stored.Length - header}.");
        if (!stored.Gzip && stored.Length > header + expected)
            throw new InvalidDataException(
                $"{path}: {stored.Length - header - expected} bytes more than the header promises ({expected} data bytes for {shape}).");
    }

    /// <summary>The values, straight into one array of the promised size; nothing may follow them.</summary>
    private static byte[] ReadData(Stream stream, string path, long expected, int[] dimensions)
    {
        var data = new byte[expected];
        var read = Fill(stream, data, path);
        if (read < expected)
            throw new InvalidDataException(
                $"{path}: truncated: the header promises {expected} data bytes ({string.Join("x", dimensions)}), the file holds {read}.");
        long extra = 0;
        var rest = new byte[4096];
        while ((read = Fill(stream, rest, path)) > 0) extra += read;
        if (extra > 0)
            throw new InvalidDataException(
                $"{path}: {extra} bytes more than the header promises ({expected} data bytes for {string.Join("x", dimensions)}).");
        return data;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns how many bytes it read.</summary>
    private static int Fill(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            // .NET reports a failed CRC-32 or length check as an "unsupported compression method".
            throw new InvalidDataException($"{path}: gzip integrity error: the compressed data is damaged or truncated " +
                                           "(its CRC-32 or length check failed, or the deflate stream is invalid).", e);
        }
    }

    /// <summary>
    /// The length the file's content has: its size for a raw file; for gzip,
    /// the length recorded in the last four bytes (modulo 2^32), which is only
    /// right when nothing follows the gzip stream. So bytes appended after the
    /// stream, which .NET's decompressor silently skips, are refused too.
    /// </summary>
    private static (bool Gzip, long Length) StoredLength(string path)
    {
        using var file = File.OpenRead(path);
        var isGzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        if (!isGzip) return (false, file.Length);
        if (file.Length < 18) return (true, -1);
        Span<byte> size = stackalloc byte[4];
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(size);
        return (true, BinaryPrimitives.ReadUInt32LittleEndian(size));
    }

    /// <summary>Writes an IDX file of unsigned bytes, gzip-compressed when the name ends in .gz.</summary>
    public static void Write(string path, int[] dimensions, ReadOnlySpan<byte> data)
    {
        using var file = File.Create(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionLevel.Fastest)
            : file;
        Span<byte> word = stackalloc byte[4];
        stream.Write([0, 0, UnsignedByte, (byte)dimensions.Length]);
        foreach (var size in dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, size);
            stream.Write(word);
        }
        stream.Write(data);
    }

    /// <summary>The file as a stream, decompressed when it starts with the gzip signature (whatever its name).</summary>
    public static Stream OpenDecompressed(string path)
    {
        var file = File.OpenRead(path);
        var isGzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        return isGzip ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}

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
