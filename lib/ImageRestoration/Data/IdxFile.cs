using System.Buffers.Binary;
using System.IO.Compression;

namespace ImageRestoration.Data;

/// <summary>
/// One array in the IDX format of the MNIST family: a magic number (two zero
/// bytes, a type code, the number of dimensions), big-endian 32-bit sizes, then
/// the values. Only unsigned bytes (type 0x08), the type MNIST uses, are read.
/// </summary>
public sealed class IdxFile
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

    /// <summary>Reads a raw or gzip-compressed IDX file and checks that it holds exactly what its header promises.</summary>
    public static IdxFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file not found: {path}", path);
        byte[] bytes;
        try
        {
            bytes = ReadAllBytesDecompressed(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: the gzip stream is damaged or truncated ({e.Message}).", e);
        }
        return Parse(path, bytes);
    }

    /// <summary>Parses IDX content already in memory; <paramref name="path"/> names it in errors.</summary>
    public static IdxFile Parse(string path, byte[] bytes)
    {
        if (bytes.Length < 4)
            throw new InvalidDataException($"{path}: {bytes.Length} bytes is too short for an IDX header (4 bytes of magic number).");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException(
                $"{path}: not an IDX file: the magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8} does not start with two zero bytes.");
        if (bytes[2] != UnsignedByte)
            throw new InvalidDataException(
                $"{path}: IDX type code 0x{bytes[2]:X2} is not supported; only unsigned bytes (0x08), as in MNIST, are.");
        int rank = bytes[3];
        if (rank < 1)
            throw new InvalidDataException($"{path}: the IDX header declares {rank} dimensions; at least 1 is needed.");
        var headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            throw new InvalidDataException(
                $"{path}: truncated header: {rank} dimensions need {headerLength} header bytes, the file holds {bytes.Length}.");
        var dimensions = new int[rank];
        long expected = 1;
        for (var d = 0; d < rank; d++)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (size < 0) throw new InvalidDataException($"{path}: dimension {d} has a negative size ({size}).");
            dimensions[d] = size;
            expected *= size;
        }
        long actual = bytes.Length - headerLength;
        if (actual < expected)
            throw new InvalidDataException(
                $"{path}: truncated: the header promises {expected} data bytes ({string.Join("x", dimensions)}), the file holds {actual}.");
        if (actual > expected)
            throw new InvalidDataException(
                $"{path}: {actual - expected} bytes more than the header promises ({expected} data bytes for {string.Join("x", dimensions)}).");
        return new IdxFile(path, dimensions, bytes[headerLength..]);
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

    /// <summary>The file's bytes, decompressed when they start with the gzip signature (whatever the name).</summary>
    public static byte[] ReadAllBytesDecompressed(string path)
    {
        using var file = File.OpenRead(path);
        var isGzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        using var stream = isGzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
