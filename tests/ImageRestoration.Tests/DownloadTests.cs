using System.Security.Cryptography;
using ImageRestoration.Data;

namespace ImageRestoration.Tests;

/// <summary>The download path, for real, against mirrors served on 127.0.0.1 by the test.</summary>
public sealed class DownloadTests : IDisposable
{
    private readonly TempDirectory source = new();
    private readonly TempDirectory cache = new();
    private readonly Dictionary<string, byte[]> served = new();
    private readonly Dictionary<string, string> checksums = new();
    private readonly string? savedVariable = Environment.GetEnvironmentVariable(DataLocator.EnvironmentVariable);

    public DownloadTests()
    {
        // The cache and the download come after IMAGE_RESTORATION_DATA, so these tests run without it.
        Environment.SetEnvironmentVariable(DataLocator.EnvironmentVariable, null);
        TinyMnist.Write(source.Path, train: 8, test: 4);
        foreach (var name in MnistFiles.All)
        {
            var bytes = File.ReadAllBytes(source.File(name + ".gz"));
            served[name + ".gz"] = bytes;
            checksums[name] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(DataLocator.EnvironmentVariable, savedVariable);
        source.Dispose();
        cache.Dispose();
    }

    private MnistDownloader Downloader(params Uri[] mirrors) =>
        new(mirrors, new HttpClient { Timeout = TimeSpan.FromSeconds(20) }, checksums, new Dictionary<string, string>());

    private string[] LeftoverFiles() => Directory.GetFiles(cache.Path, "*.part");

    [Fact]
    public void GoodMirrorFillsTheCacheWithVerifiedFiles()
    {
        using var mirror = new LocalMirror(served, MirrorBehaviour.Serve);

        var directory = DataLocator.Resolve(downloader: Downloader(mirror.Url), cacheDirectory: cache.Path);

        Assert.Equal(cache.Path, directory);
        foreach (var name in MnistFiles.All)
            Assert.Equal(served[name + ".gz"], File.ReadAllBytes(cache.File(name + ".gz")));
        using var train = ImageDataset.Load(directory, DatasetSplit.Train);
        Assert.Equal(8, train.Count);
        Assert.Empty(LeftoverFiles());
    }

    [Fact]
    public void CorruptFileIsRejectedAndNothingIsLeftInTheCache()
    {
        using var mirror = new LocalMirror(served, MirrorBehaviour.Corrupt);

        var error = Assert.Throws<MnistDownloadException>(() => Downloader(mirror.Url).Download(MnistFiles.TestLabels, cache.Path));

        Assert.Contains("checksum mismatch", error.Message);
        Assert.Empty(Directory.GetFiles(cache.Path));
    }

    [Fact]
    public void TruncatedTransferLeavesNoPartialFile()
    {
        using var mirror = new LocalMirror(served, MirrorBehaviour.Truncate);

        var error = Assert.Throws<MnistDownloadException>(() => Downloader(mirror.Url).Download(MnistFiles.TrainImages, cache.Path));

        Assert.Single(error.Failures);
        Assert.Empty(Directory.GetFiles(cache.Path));
    }

    [Theory]
    [InlineData(MirrorBehaviour.NotFound)]
    [InlineData(MirrorBehaviour.Corrupt)]
    [InlineData(MirrorBehaviour.Truncate)]
    public void FailingFirstMirrorFallsBackToTheSecond(MirrorBehaviour failure)
    {
        using var bad = new LocalMirror(served, failure);
        using var good = new LocalMirror(served, MirrorBehaviour.Serve);

        Downloader(bad.Url, good.Url).DownloadMissing(cache.Path);

        Assert.True(MnistFiles.IsComplete(cache.Path));
        Assert.Equal(4, bad.Requests);
        Assert.Equal(4, good.Requests);
        Assert.Empty(LeftoverFiles());
    }

    [Fact]
    public void NotFoundEverywhereListsEveryMirror()
    {
        using var first = new LocalMirror(served, MirrorBehaviour.NotFound);
        using var second = new LocalMirror(served, MirrorBehaviour.NotFound);

        var error = Assert.Throws<MnistDownloadException>(() => Downloader(first.Url, second.Url).Download(MnistFiles.TestImages, cache.Path));

        Assert.Equal(2, error.Failures.Count);
        Assert.Contains("404", error.Failures[0]);
        Assert.Contains(second.Url.ToString(), error.Failures[1]);
    }

    [Fact]
    public void OfflineWithNoDataSaysWhereToPutTheFiles()
    {
        var error = Assert.Throws<DataNotFoundException>(() =>
            DataLocator.Resolve(downloader: Downloader(LocalMirror.Unreachable()), cacheDirectory: cache.Path));

        Assert.Contains(DataLocator.EnvironmentVariable, error.Message);
        Assert.Contains("--data", error.Message);
        Assert.Contains(cache.Path, error.Message);
        Assert.Contains(MnistFiles.TrainImages, error.Message);
    }

    [Fact]
    public void CompleteCacheIsUsedWithoutAnyRequest()
    {
        TinyMnist.Write(cache.Path);
        using var mirror = new LocalMirror(served, MirrorBehaviour.Serve);

        Assert.Equal(cache.Path, DataLocator.Resolve(downloader: Downloader(mirror.Url), cacheDirectory: cache.Path));
        Assert.Equal(0, mirror.Requests);
    }
}
