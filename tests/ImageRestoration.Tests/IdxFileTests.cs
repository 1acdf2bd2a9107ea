using System.IO.Compression;
using ImageRestoration.Data;

namespace ImageRestoration.Tests;

public sealed class IdxFileTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("images.idx")]
    [InlineData("images.idx.gz")]
    public void ReadsWhatWasWritten(string name)
    {
        var path = temp.File(name);
        var pixels = TinyMnist.Pixels(3, 4);
        IdxFile.Write(path, [3, 4, 4], pixels);

        var idx = IdxFile.Read(path);

        Assert.Equal([3, 4, 4], idx.Dimensions);
        Assert.Equal(3, idx.Count);
        Assert.Equal(pixels, idx.Data);
    }

    [Fact]
    public void DetectsGzipByContentNotByName()
    {
        var path = temp.File("labels-without-suffix");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gzip.Write([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]);

        Assert.Equal([7, 9], IdxFile.Read(path).Data);
    }

    [Fact]
    public void WrongMagicNumberNamesTheFile()
    {
        var path = temp.File("not-idx");
        File.WriteAllBytes(path, [1, 2, 8, 1, 0, 0, 0, 1, 5]);

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("magic number 0x01020801", error.Message);
    }

    [Fact]
    public void UnsupportedTypeIsRefused()
    {
        var path = temp.File("floats");
        File.WriteAllBytes(path, [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]);

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains("type code 0x0D", error.Message);
    }

    [Fact]
    public void TruncatedDataSaysHowMuchIsMissing()
    {
        var path = temp.File("short");
        File.WriteAllBytes(path, [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3]);

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("truncated: the header promises 8 data bytes (2x2x2), the file holds 3", error.Message);
    }

    [Fact]
    public void TruncatedHeaderIsReported()
    {
        var path = temp.File("header");
        File.WriteAllBytes(path, [0, 0, 8, 3, 0, 0, 0, 2]);

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains("truncated header", error.Message);
    }

    [Fact]
    public void ExtraBytesAreReported()
    {
        var path = temp.File("long");
        File.WriteAllBytes(path, [0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3]);

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains("1 bytes more than the header promises", error.Message);
    }

    [Fact]
    public void TruncatedGzipStreamNamesTheFile()
    {
        var whole = temp.File("whole.gz");
        IdxFile.Write(whole, [50, 28, 28], TinyMnist.Pixels(50, 28));
        var bytes = File.ReadAllBytes(whole);
        var cut = temp.File("cut.gz");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(cut));

        Assert.Contains(cut, error.Message);
    }

    [Fact]
    public void MissingFileIsReported()
    {
        var error = Assert.Throws<FileNotFoundException>(() => IdxFile.Read(temp.File("absent")));
        Assert.Contains("absent", error.Message);
    }
}
