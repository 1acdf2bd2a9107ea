using System.Buffers.Binary;
using System.IO.Compression;
using ImageRestoration.Photos;
using SkiaSharp;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

/// <summary>Picture files the photo tests write themselves: good ones, and each kind of bad one the loader must refuse.</summary>
public static class PhotoFixtures
{
    /// <summary>A smooth colour (3 channels) or grey (1) test picture, C x H x W floats in [0,1].</summary>
    public static Tensor Smooth(int channels, int height, int width)
    {
        using var y = linspace(0, 1, height).view(1, height, 1);
        using var x = linspace(0, 1, width).view(1, 1, width);
        using var phase = arange(channels).to(ScalarType.Float32).view(channels, 1, 1);
        return ((y * 6 + x * 4 + phase).sin() * 0.4 + 0.5).to(ScalarType.Float32);
    }

    /// <summary>A PNG whose header says what the arguments say (the pixel data is valid zlib of the right length for 8-bit depths).</summary>
    public static byte[] Png(int width, int height, byte bitDepth = 8, byte colourType = 0, bool withData = true)
    {
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        header[8] = bitDepth;
        header[9] = colourType;
        Chunk(file, "IHDR", header);
        if (colourType == 3) Chunk(file, "PLTE", [0, 0, 0, 255, 255, 255]);
        if (withData)
        {
            var samples = colourType switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 } * Math.Max(1, bitDepth / 8);
            using var compressed = new MemoryStream();
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
                zlib.Write(new byte[(long)height * (1 + (long)width * samples)]);
            Chunk(file, "IDAT", compressed.ToArray());
        }
        Chunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>The start of a JPEG whose frame header claims <paramref name="components"/> channels (4: CMYK).</summary>
    public static byte[] JpegHeader(int width, int height, byte components) =>
        [0xFF, 0xD8, 0xFF, 0xC0, 0, (byte)(8 + 3 * components), 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, components,
         .. Enumerable.Range(1, components).SelectMany(i => new byte[] { (byte)i, 0x11, 0 }), 0xFF, 0xD9];

    /// <summary>A real JPEG of a smooth colour picture, encoded by SkiaSharp.</summary>
    public static byte[] Jpeg(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            bitmap.SetPixel(x, y, new SKColor((byte)(x * 255 / width), (byte)(y * 255 / height), 128));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    /// <summary>A real PNG of <paramref name="picture"/>, written by the loader's own writer.</summary>
    public static byte[] RealPng(Tensor picture, string scratch)
    {
        PhotoFile.WritePng(picture, scratch);
        return File.ReadAllBytes(scratch);
    }

    private static void Chunk(Stream file, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        file.Write(length);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        file.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        file.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
