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
}
