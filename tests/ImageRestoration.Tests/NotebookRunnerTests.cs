using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ImageRestoration.Tests;

/// <summary>
/// The headless runner against the real pinned kernel (.tools/dotnet-interactive,
/// installed by .devcontainer/setup-kernel.sh, which .ci/run runs before the tests).
/// </summary>
public sealed class NotebookRunnerTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static string Kernel
    {
        get
        {
            var root = RepositoryRoot.Find() ?? throw new InvalidOperationException("Run the tests inside the repository.");
            var kernel = Path.Combine(root, ".tools", "dotnet-interactive", "dotnet-interactive");
            Assert.True(File.Exists(kernel),
                $"The pinned notebook kernel is missing ({kernel}): run 'bash .devcontainer/setup-kernel.sh' first (.ci/run does).");
            return kernel;
        }
    }

    private static JsonObject Code(string source) => new()
    {
        ["cell_type"] = "code",
        ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
        ["source"] = source,
        ["outputs"] = new JsonArray(),
        ["execution_count"] = null,
    };

    private string Notebook(string name, params JsonObject[] cells)
    {
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray([new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = "# " + name }, .. cells]),
            ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["defaultKernelName"] = "csharp" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = temp.File(name + ".ipynb");
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    private (int ExitCode, string Output) Run(params string[] arguments)
    {
        var runner = Path.Combine(AppContext.BaseDirectory, "notebook-runner.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = temp.Path };
        foreach (var argument in (string[])[runner, "--kernel", Kernel, "--output", temp.File("executed"), .. arguments])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The runner did not finish within 3 minutes.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z'; // a zombie has ended
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public void AThrowingCellFailsTheRunAndIsNamed()
    {
        var green = Notebook("green", Code("Console.WriteLine(\"hello from the kernel\");\n1 + 1"));
        var red = Notebook("red",
            Code("var answer = 42;"),
            Code("throw new InvalidOperationException(\"boom from the test\");"),
            Code("Console.WriteLine(answer);"));

        var (exitCode, output) = Run(green, red);

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        Assert.Matches(@"ok +\d+\.\ds cell 2: Console\.WriteLine\(""hello from the kernel""\);", output);
        Assert.Matches(@"FAIL +\d+\.\ds cell 3: throw new InvalidOperationException\(""boom from the test""\);", output);
        Assert.Contains("System.InvalidOperationException: boom from the test", output);
        Assert.Contains("skip        cell 4: Console.WriteLine(answer);", output);
        Assert.Contains("=> FAILED at cell 3", output);
        Assert.Contains("notebooks: 1 ok, 1 failed - red.ipynb (cell 3)", output);

        var executed = JsonNode.Parse(File.ReadAllText(temp.File(Path.Combine("executed", "red.ipynb"))))!["cells"]!.AsArray();
        Assert.Equal(1, (int?)executed[1]!["execution_count"]);
        var error = executed[2]!["outputs"]!.AsArray().Single()!;
        Assert.Equal("error", (string?)error["output_type"]);
        Assert.Equal("System.InvalidOperationException", (string?)error["ename"]);
        Assert.Equal("boom from the test", (string?)error["evalue"]);
        Assert.Null(executed[3]!["execution_count"]);
        var greenCells = JsonNode.Parse(File.ReadAllText(temp.File(Path.Combine("executed", "green.ipynb"))))!["cells"]!.AsArray();
        var outputs = greenCells[1]!["outputs"]!.AsArray();
        Assert.Equal("hello from the kernel\n", (string?)outputs[0]!["text"]);
        Assert.Contains("<pre>2</pre>", (string?)outputs[1]!["data"]!["text/html"]);
    }

    [Fact]
    public void ATimedOutCellEndsTheKernelAndEverythingItStarted()
    {
        // The kernel's own process id, and a process it starts that leaves its process tree at once.
        var notebook = Notebook("slow",
            Code("Console.WriteLine(Environment.ProcessId);\n" +
                 "var orphan = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(\"sh\", \"-c \\\"sleep 300 >/dev/null 2>&1 & echo $!\\\"\") { RedirectStandardOutput = true });\n" +
                 "Console.WriteLine(orphan.StandardOutput.ReadLine());"),
            Code("System.Threading.Thread.Sleep(TimeSpan.FromMinutes(5));"));

        var (exitCode, output) = Run("--cell-timeout", "15", "--show-output", notebook);

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        Assert.Contains("timed out after 15 s", output);
        var pids = output.Split('\n').Where(l => l.Contains("        | ")).Select(l => int.Parse(l.Split('|')[1].Trim())).ToList();
        Assert.True(pids.Count == 2, output);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (pids.Any(Alive) && DateTime.UtcNow < deadline) Thread.Sleep(200);
        Assert.False(Alive(pids[0]), $"the kernel (pid {pids[0]}) is still running");
        Assert.False(Alive(pids[1]), $"the kernel's orphaned child (pid {pids[1]}) is still running");
    }

    [Fact]
    public void LibraryObjectsDisplayThemselvesAndTrainingUpdatesOneOutput()
    {
        string Dll(string name) => Path.Combine(AppContext.BaseDirectory, name).Replace("\\", "/");
        var notebook = Notebook("display",
            Code($$"""
                  #r "nuget: TorchSharp-cpu, 0.107.0"
                  #r "nuget: FSharp.Core, 10.1.403"
                  #r "nuget: Plotly.NET, 6.0.0"
                  #r "nuget: ScottPlot, 5.1.59"
                  #r "{{Dll("ImageRestoration.dll")}}"
                  #r "{{Dll("ImageRestoration.Display.dll")}}"
                  using ImageRestoration.Configuration;
                  using ImageRestoration.Notebooks;
                  using ImageRestoration.Training;
                  Console.WriteLine($"registered {NotebookDisplay.Register()}");
                  """),
            Code("new TrainingHistory { Epochs = [new EpochRecord(1, 0.3, 0.28, 0.03, 0.028, 1), new EpochRecord(2, 0.2, 0.19, 0.02, 0.019, 1)] }"),
            Code("new ExperimentConfiguration()"),
            Code("""
                 var progress = NotebookProfile.Progress(new ExperimentConfiguration().With("epochs=2"));
                 for (var epoch = 1; epoch <= 2; epoch++)
                 {
                     for (var batch = 1; batch <= 3; batch++) progress.Batch(epoch, batch, 3, 0.3 / epoch, 128 * batch, TimeSpan.FromSeconds(batch));
                     progress.Epoch(new EpochRecord(epoch, 0.3 / epoch, 0.28 / epoch, 0.03, 0.028, 3), 3, 384);
                 }
                 Console.WriteLine(progress.GetType().Name);
                 """));

        var (code, output) = Run(notebook);

        Assert.True(code == 0, output);
        var executed = JsonNode.Parse(File.ReadAllText(temp.File("executed/display.ipynb")))!.AsObject();
        var cells = executed["cells"]!.AsArray();
        string Html(int cell) => string.Concat(cells[cell]!["outputs"]!.AsArray().Select(o => (string?)o!["data"]?["text/html"]));
        Assert.Contains($"registered {ImageRestoration.Notebooks.NotebookDisplay.Types.Count}", cells[1]!["outputs"]!.ToJsonString());
        Assert.Contains("src=\"data:image/png;base64,", Html(2)); // the history as its loss chart
        Assert.Contains("Plotly.newPlot", Html(2));
        Assert.DoesNotContain(ImageRestoration.NotebookRunner.CellOutputs.PlotlyJsMarker, executed.ToJsonString());
        Assert.Matches("<td[^>]*>batchSize</td><td[^>]*>128</td>", Html(3)); // the configuration as its keys
        var training = cells[4]!["outputs"]!.AsArray().Where(o => o!["data"]?["text/html"] is not null).ToList();
        Assert.Single(training); // one output, updated in place
        Assert.Contains("done: epoch 2/2", Html(4));
        // One chart per figure: the finished training keeps its last line; the run's chart is shown by the cell that displays it.
        Assert.DoesNotContain("data:image/png", Html(4));
        Assert.Contains("LiveTrainingProgress", cells[4]!["outputs"]!.ToJsonString());
        Assert.Empty(ImageRestoration.NotebookRunner.CommittedOutputs.Problems(executed)); // hashes recorded, no URL, small
        Assert.True(File.Exists(temp.File("executed/display.html")));
    }
}
