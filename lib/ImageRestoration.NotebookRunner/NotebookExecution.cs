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
        JsonObject document;
        try
        {
            document = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellation))?.AsObject()
                       ?? throw new InvalidDataException("the file is empty JSON");
            if (document["cells"] is not JsonArray) throw new InvalidDataException("it has no cells");
            if (options.Parameters.Count > 0) ParameterCell.Inject(document, options.Parameters, notebookPath);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            log.WriteLine($"  FAIL  {path} is not a notebook: {e.Message}");
            return new NotebookResult(path, false, 0, null, clock.Elapsed, null);
        }

        var defaultKernel = (string?)document["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]
                            ?? (string?)document["metadata"]?["polyglot_notebook"]?["defaultKernelName"] ?? "csharp";
        var cells = document["cells"]!.AsArray();
        int? failedCell = null;
        var executed = 0;
        KernelProcess? process = null;
        try
        {
            try
            {
                process = await KernelProcess.StartAsync(kernel, Path.GetDirectoryName(path)!, options.Environment, options.StartupTimeout, cancellation);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                log.WriteLine($"  FAIL  the kernel did not start: {e.Message}");
                failedCell = 0;
            }

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
                var cellClock = Stopwatch.StartNew();
                var (succeeded, outputs, error) = await SubmitAsync(process, source, KernelName(cell, defaultKernel), executed, cancellation);
                cell["outputs"] = outputs.Outputs;
                cell["execution_count"] = executed;
                var html = outputs.HtmlOutputs > 0 ? $"  ({outputs.HtmlOutputs} html)" : "";
                log.WriteLine($"  {(succeeded ? "ok  " : "FAIL")} {cellClock.Elapsed.TotalSeconds,6:F1}s {label}{html}");
                if (options.ShowOutput && outputs.StandardOutput.Length > 0)
                    foreach (var line in outputs.StandardOutput.TrimEnd().Split('\n'))
                        log.WriteLine("        | " + line.TrimEnd('\r'));
                if (!succeeded)
                {
                    failedCell = index + 1;
                    foreach (var line in (error ?? "").TrimEnd().Split('\n').Take(30))
                        log.WriteLine("        " + line.TrimEnd('\r'));
                    if (error?.StartsWith("timed out", StringComparison.Ordinal) == true || cancellation.IsCancellationRequested)
                    {
                        process.Kill(); // it is still busy with the cell
                    }
                }
            }
        }
        finally
        {
            process?.Dispose();
        }

        CommittedOutputs.Stamp(document, options.Profile, options.CommandLine, DateTimeOffset.UtcNow);
        var copy = Path.Combine(outputFolder, Path.GetFileName(path));
        Directory.CreateDirectory(outputFolder);
        await WriteAsync(document, copy);
        NotebookPage.Write(document, copy);
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
            while (true)
            {
                var envelope = await process.NextEventAsync(deadline.Token);
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
                        var message = (string?)@event["message"] ?? "the command failed";
                        outputs.Error(message);
                        return (false, outputs, message);
                }
            }
        }
        catch (ChannelClosedException)
        {
            var message = $"the kernel exited during the cell (exit code {process.ExitCode()})" + Environment.NewLine + process.ErrorTail;
            outputs.Error(message);
            return (false, outputs, message);
        }
        catch (OperationCanceledException)
        {
            var message = cancellation.IsCancellationRequested
                ? "cancelled"
                : $"timed out after {options.CellTimeout.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s";
            outputs.Error(message);
            return (false, outputs, message);
        }
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
