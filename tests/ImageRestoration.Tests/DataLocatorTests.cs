using ImageRestoration.Data;

namespace ImageRestoration.Tests;

public sealed class DataLocatorTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly string? savedVariable = Environment.GetEnvironmentVariable(DataLocator.EnvironmentVariable);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(DataLocator.EnvironmentVariable, savedVariable);
        temp.Dispose();
    }

    [Fact]
    public void ExplicitDirectoryComesFirst()
    {
        TinyMnist.Write(temp.Path);
        Environment.SetEnvironmentVariable(DataLocator.EnvironmentVariable, "/nonexistent");

        Assert.Equal(temp.Path, DataLocator.Resolve(temp.Path));
    }

    [Fact]
    public void EnvironmentVariableComesNext()
    {
        TinyMnist.Write(temp.Path, gzip: false);
        Environment.SetEnvironmentVariable(DataLocator.EnvironmentVariable, temp.Path);

        Assert.Equal(temp.Path, DataLocator.Resolve());
    }

    [Fact]
    public void IncompleteDirectoryNamesWhatIsMissing()
    {
        TinyMnist.Write(temp.Path);
        File.Delete(temp.File(MnistFiles.TestLabels + ".gz"));

        var error = Assert.Throws<DataNotFoundException>(() => DataLocator.Resolve(temp.Path));

        Assert.Contains(temp.Path, error.Message);
        Assert.Contains(MnistFiles.TestLabels, error.Message);
        Assert.DoesNotContain(MnistFiles.TrainImages, error.Message);
    }

    [Fact]
    public void MissingDirectoryFromTheEnvironmentIsNamed()
    {
        var missing = temp.File("nowhere");
        Environment.SetEnvironmentVariable(DataLocator.EnvironmentVariable, missing);

        var error = Assert.Throws<DataNotFoundException>(() => DataLocator.Resolve());

        Assert.Contains(missing, error.Message);
        Assert.Contains(DataLocator.EnvironmentVariable, error.Message);
    }

    [Fact]
    public void FashionMnistLoadsTheSameWay()
    {
        const string fashion = "/usr/share/datasets/fashion-mnist";
        Assert.True(MnistFiles.IsComplete(fashion),
            $"{fashion} lacks Fashion-MNIST: apt-get install dataset-fashion-mnist (.devcontainer/install-prerequisites.sh does).");
        using var test = ImageDataset.Load(DataLocator.Resolve(fashion), DatasetSplit.Test);
        Assert.Equal([10000L, 1, 28, 28], test.Images.shape);
        Assert.False(MnistFiles.IsGenuine(MnistFiles.TestImages, MnistFiles.Find(fashion, MnistFiles.TestImages)!));
    }
}
