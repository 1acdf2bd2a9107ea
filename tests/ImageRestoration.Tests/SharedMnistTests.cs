using ImageRestoration.Data;

namespace ImageRestoration.Tests;

[Collection(MnistCollection.Name)]
public sealed class SharedMnistTests(MnistFixture mnist)
{
    [Fact]
    public void HasThePresentationsCountsAndShapes()
    {
        Assert.Equal([60000L, 1, 28, 28], mnist.Train.Images.shape);
        Assert.Equal([10000L, 1, 28, 28], mnist.Test.Images.shape);
    }

    [Fact]
    public void FirstLabelsAreTheKnownOnes()
    {
        Assert.Equal("7210414959", string.Concat(mnist.Test.Labels.Take(10)));
        Assert.Equal("5041921314", string.Concat(mnist.Train.Labels.Take(10)));
    }

    [Fact]
    public void PixelsSpanZeroToOne()
    {
        Assert.Equal(0f, mnist.Test.Images.min().item<float>());
        Assert.Equal(1f, mnist.Test.Images.max().item<float>());
        // MNIST's well-known mean pixel value is 0.1307 (train) and 0.1325 (test).
        Assert.InRange(mnist.Train.Images.mean().item<float>(), 0.1300, 0.1314);
    }

    [Theory]
    [InlineData(MnistFiles.TrainImages)]
    [InlineData(MnistFiles.TrainLabels)]
    [InlineData(MnistFiles.TestImages)]
    [InlineData(MnistFiles.TestLabels)]
    public void SharedCopiesAreGenuineByTheirDecompressedContent(string name)
    {
        var path = MnistFiles.Find(SharedMnist.Directory, name)!;
        Assert.True(MnistFiles.IsGenuine(name, path));
        Assert.False(MnistFiles.IsGenuine(name == MnistFiles.TestLabels ? MnistFiles.TrainLabels : MnistFiles.TestLabels, path));
    }
}
