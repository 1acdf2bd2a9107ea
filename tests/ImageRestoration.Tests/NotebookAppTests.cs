using System.Text.Json.Nodes;
using ImageRestoration.Configuration;
using ImageRestoration.Training;
using ImageRestoration.Notebooks;
using ImageRestoration.NotebookRunner;

namespace ImageRestoration.Tests;

/// <summary>The runner's notebook-as-app writer, cell ids (nbformat 4.5) and parameters (papermill's -p).</summary>
public sealed class NotebookAppTests
{
    private static JsonObject Cell(string type, string source, params string[] tags)
    {
        var metadata = new JsonObject();
        if (tags.Length > 0) metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        var cell = new JsonObject { ["cell_type"] = type, ["metadata"] = metadata, ["source"] = source };
        if (type == "code") (cell["outputs"], cell["execution_count"]) = (new JsonArray(), null);
        return cell;
    }

    private static JsonObject Notebook(params JsonObject[] cells) =>
        new() { ["cells"] = new JsonArray(cells), ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 4 };

    private static string Generate(JsonObject notebook)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("setup.dib"), "#!meta\n\n{}\n\n#!csharp\n\n// why\n#r \"nuget: X, 1.0\"\nusing System.Text;\nNotebookDisplay.Register();\n");
        return NotebookApp.Generate(notebook, temp.File("04-lesson.ipynb"));
    }

    [Fact]
    public void AnAppIsTheNotebookAsAProgram()
    {
        var app = Generate(Notebook(
            Cell("markdown", "# Lesson\nWhy."),
            Cell("code", NotebookApp.SetupImport),
            Cell("code", "int? epochs = null;", ParameterCell.Tag),
            Cell("code", "var profile = NotebookProfile.FromEnvironment().With(new { epochs });\nLossChart.Of(history)"),
            Cell("code", "using static TorchSharp.torch;\nclass Mine { }\nvar x = 1; // kept\nx")));

        Assert.StartsWith("// 04-lesson.ipynb as a .NET file-based app", app);
        Assert.Contains("#:project ../../lib/ImageRestoration.Display/ImageRestoration.Display.csproj\n", app);
        Assert.DoesNotContain("#r ", app);
        // usings first, the parameters next, then the lesson in order; a cell's closing expression is displayed; types last.
        var order = new[] { "using System.Text;", "using static TorchSharp.torch;", "using static ImageRestoration.Notebooks.FileDisplay;",
            "int? epochs = null;", "// # Lesson\n// Why.", "FileDisplay.Start();", "NotebookDisplay.Register();",
            "display(LossChart.Of(history));", "var x = 1; // kept", "display(x);", "class Mine { }" };
        var positions = order.Select(text => app.IndexOf(text, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0, app));
        Assert.Equal(positions.Order(), positions);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(app, "int\\? epochs"));
    }

    [Fact]
    public void ACellAnAppCannotHoldNamesItsCell()
    {
        var notebook = Notebook(Cell("markdown", "# x"), Cell("code", "#!time\nvar x = 1;"));

        var error = Assert.Throws<InvalidDataException>(() => Generate(notebook));
        Assert.Contains("04-lesson.ipynb, cell 2", error.Message);
        Assert.Contains("#!time", error.Message);
    }

    [Fact]
    public void EveryCellGetsAnIdThatItKeeps()
    {
        var notebook = Notebook(Cell("markdown", "a"), Cell("code", "b"), Cell("code", "c"), Cell("code", "d"));
        notebook["cells"]![1]!.AsObject().Insert(1, "id", "kept-1");
        notebook["cells"]![2]!["id"] = "kept-1"; // a duplicate is replaced
        notebook["cells"]![3]!["id"] = "not valid!";

        Assert.Equal(3, CellIds.Assign(notebook));
        var ids = notebook["cells"]!.AsArray().Select(c => (string)c!["id"]!).ToList();
        Assert.Equal("kept-1", ids[1]);
        Assert.Equal(4, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[a-zA-Z0-9-_]{1,64}$", id));
        Assert.Equal(5, (int)notebook["nbformat_minor"]!);
        Assert.Equal(["cell_type", "id", "metadata", "source"], notebook["cells"]![0]!.AsObject().Select(p => p.Key)); // where Jupyter writes it
        Assert.Equal(0, CellIds.Assign(notebook));
    }

    [Fact]
    public void MinusPInjectsACellAfterTheParametersCellAsPapermillDoes()
    {
        var notebook = Notebook(Cell("code", "setup"), Cell("code", "int? epochs = null;\ndouble? learningRate = null;", ParameterCell.Tag), Cell("code", "run"));
        CellIds.Assign(notebook);

        ParameterCell.Inject(notebook, [new("epochs", "3"), new("learningRate", "0.01")], "04.ipynb");
        ParameterCell.Inject(notebook, [new("epochs", "4")], "04.ipynb"); // a second injection replaces the first

        var cells = notebook["cells"]!.AsArray();
        Assert.Equal(4, cells.Count);
        Assert.True(ParameterCell.HasTag(cells[2], ParameterCell.InjectedTag));
        Assert.Equal("// Parameters\nvar epochs = 4;\n", (string?)cells[2]!["source"]);
        Assert.Equal(4, cells.Select(c => (string?)c!["id"]).Distinct().Count());
        Assert.Equal("run", (string?)cells[3]!["source"]);
    }

    [Theory]
    [InlineData("3", "3")]
    [InlineData("3000000000", "3000000000L")]
    [InlineData("0.01", "0.01")]
    [InlineData("1e-3", "0.001")]
    [InlineData("2.0", "2.0")]
    [InlineData("True", "true")]
    [InlineData("u-net", "\"u-net\"")]
    [InlineData("say \"hi\"\\", "\"say \\\"hi\\\"\\\\\"")]
    public void AValueIsTypedAsPapermillTypesIt(string value, string literal) => Assert.Equal(literal, ParameterCell.Literal(value));

    [Fact]
    public void MinusPNeedsAParametersCellThatSetsTheName()
    {
        var without = Notebook(Cell("code", "var epochs = 1;"));
        var with = Notebook(Cell("code", "int? epochs = null;", ParameterCell.Tag));

        Assert.Contains("no code cell tagged 'parameters'", Assert.Throws<ArgumentException>(() => ParameterCell.Inject(without, [new("epochs", "3")], "04.ipynb")).Message);
        Assert.Contains("sets no variable 'epoch'", Assert.Throws<ArgumentException>(() => ParameterCell.Inject(with, [new("epoch", "3")], "04.ipynb")).Message);
        Assert.Throws<ArgumentException>(() => RunnerOptions.Parse(["-p", "epochs", "3", "--write-back", "x.ipynb"]));
        Assert.Throws<ArgumentException>(() => RunnerOptions.Parse(["-p", "2epochs", "3", "x.ipynb"]));
        Assert.Contains("None", Assert.Throws<ArgumentException>(() => RunnerOptions.Parse(["-p", "model", "None", "x.ipynb"])).Message);
    }

    [Fact]
    public void ParametersChangeTheRunAndNullKeepsTheProfile()
    {
        var quick = NotebookProfile.Quick;
        int? epochs = 3;
        double? noiseFactor = null;

        var edited = quick.With(new { epochs, noiseFactor }).Configuration("mode=clean");
        var profile = quick.With(new { epochs = (int?)null }).Configuration("mode=clean");

        Assert.Equal(3, edited.Epochs);
        Assert.Equal(quick.Configuration("mode=clean").Epochs, profile.Epochs);
        Assert.NotEqual(RunFolder.For(profile).Path, RunFolder.For(edited).Path);
        Assert.Equal(0.3, quick.With(new { noiseFactor = 0.3 }).Configuration("mode=denoising").Degradation.NoiseFactor);
        Assert.Contains("epoch", Assert.Throws<ConfigurationException>(() => quick.With(new { epoch = 3 })).Message);
    }
}
