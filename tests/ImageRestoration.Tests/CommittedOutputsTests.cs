using System.Text.Json.Nodes;
using ImageRestoration.NotebookRunner;

namespace ImageRestoration.Tests;

/// <summary>The run record of executed notebooks and the checks CI makes on committed ones.</summary>
public sealed class CommittedOutputsTests
{
    private static JsonObject Notebook(params (string Source, JsonArray Outputs)[] cells) => new()
    {
        ["cells"] = new JsonArray(cells.Select(c => (JsonNode)new JsonObject
        {
            ["cell_type"] = "code",
            ["metadata"] = new JsonObject(),
            ["source"] = c.Source,
            ["outputs"] = c.Outputs,
        }).ToArray()),
        ["metadata"] = new JsonObject(),
    };

    private static JsonArray Html(string html) =>
        [new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = html }, ["metadata"] = new JsonObject() }];

    [Fact]
    public void AStampedNotebookPassesAndRecordsItsRun()
    {
        var notebook = Notebook(("var x = 1;\nx", Html("<b>1</b>")), ("Console.WriteLine(2);", []));
        var date = new DateTimeOffset(2026, 11, 25, 21, 0, 0, TimeSpan.Zero);

        CommittedOutputs.Stamp(notebook, "class", "notebook-runner --write-back notebooks", date);

        Assert.Empty(CommittedOutputs.Problems(notebook));
        var run = notebook["metadata"]!["image_restoration"]!["run"]!;
        Assert.Equal("class", (string?)run["profile"]);
        Assert.Equal("2026-11-25T21:00:00Z", (string?)run["date"]);
        Assert.Equal("notebook-runner --write-back notebooks", (string?)run["command"]);
        Assert.Equal(CommittedOutputs.SourceHash("var x = 1;\nx"), (string?)notebook["cells"]![0]!["metadata"]!["image_restoration"]!["source_sha256"]);
        Assert.Equal(64, CommittedOutputs.SourceHash("").Length);
    }

    [Fact]
    public void AnEditedCellWithOldOutputsIsStale()
    {
        var notebook = Notebook(("var x = 1;", Html("<b>1</b>")), ("var y = 2;", []));
        CommittedOutputs.Stamp(notebook, "class", "notebook-runner", DateTimeOffset.UtcNow);

        notebook["cells"]![0]!["source"] = "var x = 2;";
        notebook["cells"]![1]!["source"] = "var y = 3;"; // no outputs: nothing to be stale

        var problem = Assert.Single(CommittedOutputs.Problems(notebook));
        Assert.Contains("cell 1 was edited after its outputs were made", problem);
    }

    [Fact]
    public void OutputsWithoutAHashAreRefused()
    {
        var problem = Assert.Single(CommittedOutputs.Problems(Notebook(("1", Html("1")))));
        Assert.Contains("no recorded source hash", problem);
    }

    [Theory]
    [InlineData("<script src=\"https://cdn.plot.ly/plotly-2.27.1.min.js\"></script>", "https://cdn.plot.ly/plotly-2.27.1.min.js")]
    [InlineData("<script src=\"//cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js\">", "//cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js")]
    [InlineData("<img src=\"http://example.org/a.png\">", "http://example.org/a.png")]
    public void AnOutputThatReferencesAnExternalUrlIsRefused(string html, string url)
    {
        var notebook = Notebook(("chart", Html(html)));
        CommittedOutputs.Stamp(notebook, "class", "notebook-runner", DateTimeOffset.UtcNow);

        var problem = Assert.Single(CommittedOutputs.Problems(notebook));
        Assert.Contains("external URL: " + url, problem);
    }

    [Fact]
    public void PicturesAndLocalLinksAreNotUrls()
    {
        var png = Convert.ToBase64String(Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray());
        var notebook = Notebook(("grid", Html($"<img src=\"data:image/png;base64,{png}\"> see 05-denoising.ipynb, runs//x.y")));
        CommittedOutputs.Stamp(notebook, "class", "notebook-runner", DateTimeOffset.UtcNow);

        Assert.Empty(CommittedOutputs.Problems(notebook));
    }

    [Fact]
    public void OutputsOverTwoMegabytesOrAPlotlyJsCopyAreRefused()
    {
        var heavy = Notebook(("a", Html(new string('x', 1_200_000))), ("b", Html(new string('y', 1_000_000))));
        CommittedOutputs.Stamp(heavy, "class", "notebook-runner", DateTimeOffset.UtcNow);
        Assert.Contains("over the 2 MB allowed", Assert.Single(CommittedOutputs.Problems(heavy)));

        var withScript = Notebook(("chart", Html($"<script {CellOutputs.PlotlyJsMarker}>/* plotly.js */</script>")));
        CommittedOutputs.Stamp(withScript, "class", "notebook-runner", DateTimeOffset.UtcNow);
        Assert.Contains("copy of plotly.js", Assert.Single(CommittedOutputs.Problems(withScript)));
    }

    [Fact]
    public void StampWritesTheMachinesFoldersAsAReaderSeesThem()
    {
        var root = RepositoryRoot.Find()!;
        var parent = Path.GetDirectoryName(root)!;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var notebook = Notebook(("run", Html($"Saved to {root}/runs/notebooks/class/clean-seed42-1a2b3c4d; data in {parent}/shared/data/mnist; " +
                                             $"Loading extensions from `{home}/.nuget/packages/skiasharp/x.dll`")));
        Assert.NotEmpty(CommittedOutputs.Problems(notebook));

        CommittedOutputs.Stamp(notebook, "class", "notebook-runner", DateTimeOffset.UtcNow);

        var html = (string)notebook["cells"]![0]!["outputs"]![0]!["data"]!["text/html"]!;
        Assert.Contains("Saved to runs/notebooks/class/clean-seed42-1a2b3c4d;", html);
        Assert.Contains("data in ../shared/data/mnist;", html);
        Assert.Contains($"Loading extensions from `{CommittedOutputs.NuGetPackages} skiasharp/x.dll`", html);
        Assert.DoesNotContain(root, html);
        Assert.Empty(CommittedOutputs.Problems(notebook));
    }

    [Theory]
    [InlineData("run folder /work/fresh-final/runs/clean-seed42-ca1bd9b2", "/work/fresh-final/runs/clean-seed42-ca1bd9b2")]
    [InlineData("Loading extensions from `/root/.nuget/packages/skiasharp/a.dll`", "/root/.nuget/packages/skiasharp/a.dll")]
    [InlineData("<a href=\"file:///home/ann/runs/x.html\">", "file:///home/ann/runs/x.html")]
    [InlineData("saved in C:\\Users\\ann\\runs\\x", "C:\\Users\\ann\\runs\\x")]
    [InlineData("Loading extensions from `~/.nuget/packages/skiasharp/a.dll`", "~/.nuget/packages/skiasharp/a.dll")]
    public void AnOutputWithAnAbsolutePathIsRefused(string html, string path)
    {
        var notebook = Notebook(("run", Html(html)));
        CommittedOutputs.Stamp(notebook, "class", "notebook-runner", DateTimeOffset.UtcNow);
        notebook["cells"]![0]!["outputs"] = Html(html); // as a machine with other folders would have left it

        var problem = Assert.Single(CommittedOutputs.Problems(notebook));
        Assert.Contains("absolute path of the machine that ran it: " + path, problem);
    }

    [Fact]
    public void RelativePathsAndMediaTypesAreNotMachinePaths()
    {
        var notebook = Notebook(("run", Html("text/html, 10/2, runs/notebooks/class/x, ../shared/data/mnist, (NuGet packages) skiasharp/a.dll, </div> /* c */")));
        CommittedOutputs.Stamp(notebook, "class", "notebook-runner", DateTimeOffset.UtcNow);

        Assert.Empty(CommittedOutputs.Problems(notebook));
    }
}
