using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ImageRestoration.NotebookRunner;

/// <summary>What happened to one notebook.</summary>
public sealed record NotebookResult(string Notebook, bool Succeeded, int CellsRun, int? FailedCell, TimeSpan Elapsed, string? ExecutedCopy);

/// <summary>
/// Runs a notebook's code cells in order in a fresh kernel, one SubmitCode
/// command per cell, and writes the executed copy. Stops at the first failing
/// cell, as a person would: later cells depend on earlier ones.
/// </summary>
public sealed class NotebookExecution(RunnerOptions options, TextWriter log)
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep HTML readable in the file
    };

    public async Task<NotebookResult> RunAsync(string notebookPath, string kernel, string outputFolder, CancellationToken cancellation)
    {
        var path = Path.GetFullPath(notebookPath);
        var clock = Stopwatch.StartNew();
        log.WriteLine(Shown(path));
        if (await ReadAsync(path, notebookPath, cancellation) is not { } document)
            return new NotebookResult(path, false, 0, null, clock.Elapsed, null);

        var (executed, failedCell) = await RunCellsAsync(document, path, kernel, cancellation);
        var copy = await SaveCopyAsync(document, path, outputFolder);
        var ok = failedCell is null && !cancellation.IsCancellationRequested;
        // Only a run in which every cell ran replaces the notebook: a failed run never overwrites good outputs.
        if (ok && options.WriteBack)
        {
            await WriteAsync(document, path);
            log.WriteLine("  => written back to " + Shown(path));
        }
        var where = failedCell is null ? "" : failedCell == 0 ? " (the kernel did not start)" : $" at cell {failedCell}";
        log.WriteLine($"  => {(ok ? "ok" : "FAILED" + where)} in {clock.Elapsed.TotalSeconds:F1}s, {executed} cells run; executed copy: " + Shown(copy));
        return new NotebookResult(path, ok, executed, failedCell, clock.Elapsed, copy);
    }

    /// <summary>The notebook with its injected parameters, or null (said in the log) when it is not a notebook.</summary>
    private async Task<JsonObject?> ReadAsync(string path, string notebookPath, CancellationToken cancellation)
    {
        try
        {
            var document = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellation))?.AsObject()
                           ?? throw new InvalidDataException("the file is empty JSON");
            if (document["cells"] is not JsonArray) throw new InvalidDataException("it has no cells");
            if (options.Parameters.Count > 0) ParameterCell.Inject(document, options.Parameters, notebookPath);
            return document;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            log.WriteLine($"  FAIL  {path} is not a notebook: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Runs the code cells in a fresh kernel, which it ends. Returns how many
    /// ran and the first that failed (0: the kernel did not start); the cells
    /// after a failure are cleared and skipped.
    /// </summary>
    private async Task<(int Executed, int? FailedCell)> RunCellsAsync(JsonObject document, string path, string kernel, CancellationToken cancellation)
    {
        var defaultKernel = (string?)document["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]
                            ?? (string?)document["metadata"]?["polyglot_notebook"]?["defaultKernelName"] ?? "csharp";
        var cells = document["cells"]!.AsArray();
        using var process = await StartKernelAsync(kernel, Path.GetDirectoryName(path)!, cancellation);
        int? failedCell = process is null ? 0 : null;
        var executed = 0;
        for (var index = 0; index < cells.Count; index++)
        {
            if (cells[index] is not JsonObject cell || (string?)cell["cell_type"] != "code") continue;
            var source = Source(cell);
            var label = $"cell {index + 1}: {FirstLine(source)}";
            if (failedCell is not null || process is null || cancellation.IsCancellationRequested)
            {
                Clear(cell);
                log.WriteLine($"  skip        {label}");
                continue;
            }
            if (string.IsNullOrWhiteSpace(source))
            {
                Clear(cell);
                continue;
            }
            executed++;
            if (!await RunCellAsync(process, cell, source, KernelName(cell, defaultKernel), executed, label, cancellation)) failedCell = index + 1;
        }
        return (executed, failedCell);
    }

    /// <summary>The kernel, started in the notebook's folder; null (said in the log) when it did not start.</summary>
    private async Task<KernelProcess?> StartKernelAsync(string kernel, string workingDirectory, CancellationToken cancellation)
    {
        try
        {
            return await KernelProcess.StartAsync(kernel, workingDirectory, options.Environment, options.StartupTimeout, cancellation);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            log.WriteLine($"  FAIL  the kernel did not start: {e.Message}");
            return null;
        }
    }

    /// <summary>Runs one cell, keeps its outputs and logs it with its time and, if it failed, its error; false when it failed.</summary>
    private async Task<bool> RunCellAsync(KernelProcess process, JsonObject cell, string source, string kernelName, int executionCount,
        string label, CancellationToken cancellation)
    {
        var cellClock = Stopwatch.StartNew();
        var (succeeded, outputs, error) = await SubmitAsync(process, source, kernelName, executionCount, cancellation);
        cell["outputs"] = outputs.Outputs;
        cell["execution_count"] = executionCount;
        var html = outputs.HtmlOutputs > 0 ? $"  ({outputs.HtmlOutputs} html)" : "";
        log.WriteLine($"  {(succeeded ? "ok  " : "FAIL")} {cellClock.Elapsed.TotalSeconds,6:F1}s {label}{html}");
        if (options.ShowOutput && outputs.StandardOutput.Length > 0)
            foreach (var line in outputs.StandardOutput.TrimEnd().Split('\n'))
                log.WriteLine("        | " + line.TrimEnd('\r'));
        if (succeeded) return true;
        foreach (var line in (error ?? "").TrimEnd().Split('\n').Take(30))
            log.WriteLine("        " + line.TrimEnd('\r'));
        if (error?.StartsWith("timed out", StringComparison.Ordinal) == true || cancellation.IsCancellationRequested)
            process.Kill(); // it is still busy with the cell
        return false;
    }

    /// <summary>Stamps the notebook and writes its executed copy and its page into the output folder; returns the copy's path.</summary>
    private async Task<string> SaveCopyAsync(JsonObject document, string path, string outputFolder)
    {
        CommittedOutputs.Stamp(document, options.Profile, options.CommandLine, DateTimeOffset.UtcNow);
        var copy = Path.Combine(outputFolder, Path.GetFileName(path));
        Directory.CreateDirectory(outputFolder);
        await WriteAsync(document, copy);
        NotebookPage.Write(document, copy);
        return copy;
    }

    /// <summary>Writes a notebook as Jupyter and VS Code do (indented JSON, one final newline), atomically.</summary>
    public static async Task WriteAsync(JsonObject document, string path)
    {
        CellIds.Assign(document); // nbformat 4.5: ids kept, new cells given one
        await File.WriteAllTextAsync(path + ".tmp", document.ToJsonString(WriteOptions) + "\n", CancellationToken.None);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Submits one cell and gathers its events until the command with the same token succeeds or fails.</summary>
    private async Task<(bool Succeeded, CellOutputs Outputs, string? Error)> SubmitAsync(KernelProcess process, string code, string kernelName,
        int executionCount, CancellationToken cancellation)
    {
        var outputs = new CellOutputs();
        var token = $"cell-{executionCount}-{Guid.NewGuid():N}";
        process.Send(new JsonObject
        {
            ["token"] = token,
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = kernelName },
        });
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(options.CellTimeout);
        try
        {
            return await GatherAsync(process, token, outputs, executionCount, deadline.Token);
        }
        catch (ChannelClosedException)
        {
            return Failed(outputs, $"the kernel exited during the cell (exit code {process.ExitCode()})" + Environment.NewLine + process.ErrorTail);
        }
        catch (OperationCanceledException)
        {
            return Failed(outputs, cancellation.IsCancellationRequested
                ? "cancelled"
                : $"timed out after {options.CellTimeout.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s");
        }
    }

    /// <summary>Keeps the outputs of the events of the command <paramref name="token"/> (and of the commands it started) until it succeeds or fails.</summary>
    private static async Task<(bool Succeeded, CellOutputs Outputs, string? Error)> GatherAsync(KernelProcess process, string token,
        CellOutputs outputs, int executionCount, CancellationToken deadline)
    {
        while (true)
        {
            var envelope = await process.NextEventAsync(deadline);
            var eventToken = (string?)envelope["command"]?["token"];
            if (eventToken is null || (eventToken != token && !eventToken.StartsWith(token + ".", StringComparison.Ordinal))) continue;
            var type = (string?)envelope["eventType"];
            var @event = envelope["event"] as JsonObject ?? new JsonObject();
            switch (type)
            {
                case "DisplayedValueProduced" or "DisplayedValueUpdated" or "ReturnValueProduced":
                    outputs.Display(@event, type, executionCount);
                    break;
                case "StandardOutputValueProduced":
                    outputs.Stream("stdout", @event);
                    break;
                case "StandardErrorValueProduced":
                    outputs.Stream("stderr", @event);
                    break;
                case "ErrorProduced":
                    outputs.Error((string?)@event["message"] ?? "error");
                    break;
                case "CommandSucceeded" when eventToken == token:
                    return (true, outputs, null);
                case "CommandFailed" when eventToken == token:
                    return Failed(outputs, (string?)@event["message"] ?? "the command failed");
            }
        }
    }

    /// <summary>A failed cell: the message is its last output and its error.</summary>
    private static (bool Succeeded, CellOutputs Outputs, string? Error) Failed(CellOutputs outputs, string message)
    {
        outputs.Error(message);
        return (false, outputs, message);
    }

    /// <summary>A path relative to the working directory when it lies below it, else in full.</summary>
    private static string Shown(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    private static string Source(JsonObject cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue text => (string?)text ?? "",
        _ => "",
    };

    private static string KernelName(JsonObject cell, string defaultKernel) =>
        (string?)cell["metadata"]?["polyglot_notebook"]?["kernelName"]
        ?? (string?)cell["metadata"]?["dotnet_interactive"]?["language"]
        ?? defaultKernel;

    private static string FirstLine(string source)
    {
        var line = source.Replace("\r\n", "\n").Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
        return line.Length > 72 ? line[..69] + "..." : line;
    }

    private static void Clear(JsonObject cell)
    {
        cell["outputs"] = new JsonArray();
        cell["execution_count"] = null;
    }
}
