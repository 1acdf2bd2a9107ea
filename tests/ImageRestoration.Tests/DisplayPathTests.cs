namespace ImageRestoration.Tests;

/// <summary>Printed paths are a reader's: relative to the repository, beside it with ../, under ~, or as the user gave them.</summary>
public sealed class DisplayPathTests
{
    [Theory]
    [InlineData("/srv/clone/runs/notebooks/class/clean-seed42-1a2b3c4d", "runs/notebooks/class/clean-seed42-1a2b3c4d")]
    [InlineData("/srv/clone", ".")]
    [InlineData("/srv/shared/data/mnist", "../shared/data/mnist")]
    [InlineData("/home/ann/.nuget/packages/x.dll", "~/.nuget/packages/x.dll")]
    [InlineData("/tmp/runs/x", "/tmp/runs/x")]
    [InlineData("runs/x", "runs/x")]
    public void APathPrintsAsAReaderSeesIt(string path, string shown)
    {
        Assert.Equal(shown, DisplayPath.Of(path, "/srv/clone", "/home/ann"));
    }

    [Fact]
    public void ACheckoutUnderTheHomeFolderPrintsRelativeToItself()
    {
        Assert.Equal("runs/x", DisplayPath.Of("/home/ann/clone/runs/x", "/home/ann/clone", "/home/ann"));
        Assert.Equal("../other/y", DisplayPath.Of("/home/ann/other/y", "/home/ann/clone", "/home/ann"));
    }

    [Fact]
    public void ARunFolderPrintsRelativeToTheRepository()
    {
        var root = RepositoryRoot.Find()!;
        var folder = new ImageRestoration.Training.RunFolder(Path.Combine(root, "runs", "notebooks", "class", "clean-seed42-1a2b3c4d"));
        Assert.Equal(Path.Combine("runs", "notebooks", "class", "clean-seed42-1a2b3c4d"), folder.ToString());
    }
}
