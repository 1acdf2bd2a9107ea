using System.Runtime.InteropServices;
using SkiaSharp;
using static TorchSharp.torch;

namespace ImageRestoration.Photos;

/// <summary>
/// Reads and writes photographs for the photo denoiser: PNG or JPEG in,
/// 8-bit grey or RGB; PNG out. Decoding lives here, beside the other SkiaSharp
/// code, so the core keeps TorchSharp as its only dependency and takes tensors.
/// Files it cannot take are refused with an <see cref="InvalidDataException"/>
/// naming the file and the reason (see <see cref="PhotoHeader"/>).
/// </summary>
public static class PhotoFile
{
    /// <summary>The extensions a folder is searched for.</summary>
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>The picture as bytes, C x H x W (C = 1 for grey, 3 for colour).</summary>
    public static Tensor ReadBytes(string path)
    {
        // The kit's libtorch first: a tensor made before it would load TorchSharp's own copy beside it.
        TorchRuntime.Initialize();
        var header = PhotoHeader.Read(path);
        using var codec = SKCodec.Create(path) ?? throw new InvalidDataException($"{path}: the {header.Format} cannot be decoded.");
        var grey = header.Channels == 1;
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        var pixels = new byte[info.BytesSize64];
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        SKCodecResult result;
        try
        {
            result = codec.GetPixels(info, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }
        if (result != SKCodecResult.Success)
            throw new InvalidDataException($"{path}: a truncated or damaged {header.Format} ({result}).");
        using var interleaved = tensor(pixels, [info.Height, info.Width, grey ? 1 : 4], ScalarType.Byte);
        return interleaved.narrow(2, 0, grey ? 1 : 3).permute(2, 0, 1).contiguous();
    }

    /// <summary>The picture as float32 in [0,1], C x H x W.</summary>
    public static Tensor Read(string path)
    {
        using var bytes = ReadBytes(path);
        return bytes.to(ScalarType.Float32).div_(255f);
    }

    /// <summary>Writes a C x H x W picture (bytes, or floats in [0,1]) as a PNG, whole or not at all.</summary>
    public static void WritePng(Tensor picture, string path)
    {
        using var image = ToImage(picture);
        using var encoded = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, temporary =>
        {
            using var file = File.Create(temporary);
            encoded.SaveTo(file);
        });
    }

    /// <summary>A C x H x W picture (bytes, or floats in [0,1]) as a SkiaSharp image.</summary>
    internal static SKImage ToImage(Tensor picture)
    {
        var bytes = ToBytes(picture);
        var (channels, height, width) = ((int)picture.shape[0], (int)picture.shape[1], (int)picture.shape[2]);
        var info = new SKImageInfo(width, height, channels == 1 ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        return SKImage.FromPixelCopy(info, bytes, info.RowBytes);
    }

    /// <summary>Interleaved bytes (grey, or RGBA with opaque alpha) for SkiaSharp.</summary>
    private static byte[] ToBytes(Tensor picture)
    {
        if (picture.dim() != 3 || picture.shape[0] is not (1 or 3))
            throw new ArgumentException($"Expected a 1 x H x W or 3 x H x W picture, got {string.Join("x", picture.shape)}.", nameof(picture));
        using var scope = NewDisposeScope();
        var bytes = picture.dtype == ScalarType.Byte ? picture : picture.mul(255f).round_().clamp_(0, 255).to(ScalarType.Byte);
        var interleaved = bytes.permute(1, 2, 0);
        if (picture.shape[0] == 3)
            interleaved = cat([interleaved, full([picture.shape[1], picture.shape[2], 1], (byte)255, ScalarType.Byte)], 2);
        return interleaved.contiguous().data<byte>().ToArray();
    }

    /// <summary>
    /// The pictures named: files as they are, folders searched (not recursively)
    /// for PNG and JPEG files in name order. A folder with no picture is an error naming it.
    /// </summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (!Directory.Exists(input))
            {
                files.Add(input);
                continue;
            }
            var found = Directory.EnumerateFiles(input)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToList();
            if (found.Count == 0) throw new InvalidDataException($"{input}: the folder holds no PNG or JPEG picture.");
            files.AddRange(found);
        }
        return files;
    }
}
