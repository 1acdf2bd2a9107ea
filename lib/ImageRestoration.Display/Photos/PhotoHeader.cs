using System.Buffers.Binary;

namespace ImageRestoration.Photos;

/// <summary>
/// What a PNG or JPEG file's header says (size, bit depth, channels), read
/// before any pixel is decoded, so that a file the denoiser cannot take is
/// refused with its reason, and a header claiming a gigantic picture is
/// refused before memory is spent on it.
/// </summary>
internal sealed record PhotoHeader(string Format, int Width, int Height, int BitDepth, int Channels, bool Palette, bool Alpha)
{
    /// <summary>The largest side accepted; 16384 x 16384 x 3 bytes is 768 MiB of pixels.</summary>
    public const int MaxSide = 16384;

    /// <summary>Reads the header of <paramref name="path"/>, throwing <see cref="InvalidDataException"/> naming the file if it is not usable.</summary>
    public static PhotoHeader Read(string path)
    {
        if (Directory.Exists(path)) throw new InvalidDataException($"{path} is a folder, not a picture.");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found.", path);
        var head = new byte[64 * 1024];
        int read;
        using (var stream = File.OpenRead(path)) read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head.AsSpan(0, read);
        var header = bytes.StartsWith(PngSignature) ? Png(path, bytes)
            : bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF ? Jpeg(path, bytes)
            : throw new InvalidDataException($"{path} is not a PNG or JPEG picture.");
        return header.Checked(path);
    }

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private PhotoHeader Checked(string path)
    {
        if (Width <= 0 || Height <= 0) throw new InvalidDataException($"{path}: the picture is {Width}x{Height}; it holds no pixels.");
        if (Width > MaxSide || Height > MaxSide)
            throw new InvalidDataException($"{path}: the header claims {Width}x{Height} pixels; at most {MaxSide}x{MaxSide} are accepted.");
        if (BitDepth > 8) throw new InvalidDataException($"{path}: a {BitDepth}-bit {Format}; save it with 8 bits per channel.");
        if (Palette) throw new InvalidDataException($"{path}: a palette (indexed-colour) PNG; save it as grey or RGB.");
        if (Alpha) throw new InvalidDataException($"{path}: a {Format} with an alpha channel; save it without transparency (grey or RGB).");
        if (Channels == 4) throw new InvalidDataException($"{path}: a CMYK JPEG; save it as RGB or grey.");
        if (Channels is not (1 or 3)) throw new InvalidDataException($"{path}: a {Format} with {Channels} channels; only grey and RGB are accepted.");
        return this;
    }

    private static PhotoHeader Png(string path, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 29 || !bytes.Slice(12, 4).SequenceEqual("IHDR"u8))
            throw new InvalidDataException($"{path}: a truncated or damaged PNG (no IHDR header).");
        var width = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(bytes[20..]);
        var (depth, colour) = (bytes[24], bytes[25]);
        var channels = colour switch { 0 => 1, 2 => 3, 3 => 3, 4 => 2, 6 => 4, _ => 0 };
        return new PhotoHeader("PNG", (int)Math.Min(width, int.MaxValue), (int)Math.Min(height, int.MaxValue), depth,
            colour is 4 or 6 ? channels - 1 : channels, colour == 3, colour is 4 or 6);
    }

    /// <summary>Walks the JPEG markers to the frame header (SOF0..SOF15 except DHT, JPG and DAC).</summary>
    private static PhotoHeader Jpeg(string path, ReadOnlySpan<byte> bytes)
    {
        var at = 2;
        while (at + 4 <= bytes.Length)
        {
            if (bytes[at] != 0xFF) break;
            var marker = bytes[at + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                if (at + 10 > bytes.Length) break;
                var frame = bytes[(at + 4)..];
                return new PhotoHeader("JPEG", BinaryPrimitives.ReadUInt16BigEndian(frame[3..]), BinaryPrimitives.ReadUInt16BigEndian(frame[1..]),
                    frame[0], frame[5], Palette: false, Alpha: false);
            }
            at += 2 + length;
        }
        throw new InvalidDataException($"{path}: a truncated or damaged JPEG (no frame header).");
    }
}
