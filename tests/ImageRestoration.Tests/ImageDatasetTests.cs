using ImageRestoration.Data;

namespace ImageRestoration.Tests;

public sealed class ImageDatasetTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ImagesBecomeFloatsInUnitRangeShapedNx1xHxW(bool gzip)
    {
        TinyMnist.Write(temp.Path, train: 6, test: 3, gzip: gzip);

        using var train = ImageDataset.Load(temp.Path, DatasetSplit.Train);

        Assert.Equal([6L, 1, 28, 28], train.Images.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, train.Images.dtype);
        Assert.Equal(6, train.Count);
        Assert.Equal(TinyMnist.Labels(6), train.Labels);
        var expected = TinyMnist.Pixels(6, 28).Select(b => b / 255f).ToArray();
        Assert.Equal(expected, train.Images.data<float>().ToArray());
    }

    [Fact]
    public void DividesBy255SoWhiteIsExactlyOne()
    {
        IdxFile.Write(temp.File(MnistFiles.TestImages), [1, 2, 2], [0, 255, 51, 128]);
        IdxFile.Write(temp.File(MnistFiles.TestLabels), [1], [3]);

        using var test = ImageDataset.Load(temp.Path, DatasetSplit.Test);

        Assert.Equal([0f, 1f, 0.2f, 128 / 255f], test.Images.data<float>().ToArray());
    }

    [Fact]
    public void LimitKeepsTheFirstImages()
    {
        TinyMnist.Write(temp.Path, train: 12);

        using var train = ImageDataset.Load(temp.Path, DatasetSplit.Train, limit: 4);

        Assert.Equal(4, train.Count);
        Assert.Equal(TinyMnist.Labels(4), train.Labels);
        Assert.Equal(4, train.Images.shape[0]);
    }

    [Fact]
    public void MismatchedImagesAndLabelsNameBothFiles()
    {
        IdxFile.Write(temp.File(MnistFiles.TrainImages + ".gz"), [3, 28, 28], TinyMnist.Pixels(3, 28));
        IdxFile.Write(temp.File(MnistFiles.TrainLabels + ".gz"), [2], [1, 2]);

        var error = Assert.Throws<InvalidDataException>(() => ImageDataset.Load(temp.Path, DatasetSplit.Train));

        Assert.Contains("holds 3 images", error.Message);
        Assert.Contains("holds 2 labels", error.Message);
        Assert.Contains(MnistFiles.TrainLabels, error.Message);
    }

    [Fact]
    public void ImagesWithWrongRankAreRefused()
    {
        IdxFile.Write(temp.File(MnistFiles.TestImages), [4, 28], new byte[4 * 28]);
        IdxFile.Write(temp.File(MnistFiles.TestLabels), [4], [1, 2, 3, 4]);

        var error = Assert.Throws<InvalidDataException>(() => ImageDataset.Load(temp.Path, DatasetSplit.Test));

        Assert.Contains("3 dimensions", error.Message);
    }
}
