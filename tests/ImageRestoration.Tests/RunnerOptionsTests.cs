using ImageRestoration.NotebookRunner;

namespace ImageRestoration.Tests;

public sealed class RunnerOptionsTests
{
    /// <summary>
    /// A folder of executed copies holds notebooks and their pages side by
    /// side: --verify-pages picks the pages wherever it stands on the command
    /// line (a notebook opened as a page has no figure and would pass).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AFolderGivesItsPagesToVerifyPagesBeforeOrAfterIt(bool optionFirst)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("04.ipynb"), "{}");
        File.WriteAllText(temp.File("04.html"), "<html></html>");

        var options = RunnerOptions.Parse(optionFirst ? ["--verify-pages", temp.Path] : [temp.Path, "--verify-pages"]);

        Assert.Equal([temp.File("04.html")], options.Notebooks);
    }

    [Fact]
    public void AFolderGivesItsNotebooksToARun()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("04.ipynb"), "{}");
        File.WriteAllText(temp.File("04.html"), "<html></html>");

        Assert.Equal([temp.File("04.ipynb")], RunnerOptions.Parse([temp.Path, "--check"]).Notebooks);
    }
}
