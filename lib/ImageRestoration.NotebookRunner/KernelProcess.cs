using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ImageRestoration.NotebookRunner;

/// <summary>
/// One .NET Interactive kernel (<c>dotnet-interactive stdio</c>) and its JSON
/// protocol: one command envelope per line on its standard input, one event
/// envelope per line on its standard output. On Linux the kernel runs in a
/// session of its own (<c>setsid</c>), so that <see cref="Kill"/> ends it and
/// every process it started, even those that left its process tree. The
/// kernel does not end when its input closes: every exit path of the runner
/// must call <see cref="Kill"/> (see <see cref="KillAll"/>).
/// </summary>
public sealed class KernelProcess : IDisposable
{
    private static readonly ConcurrentDictionary<KernelProcess, bool> Running = new();
    private readonly Process process;
    private readonly Channel<JsonObject> events = Channel.CreateUnbounded<JsonObject>();
    private readonly Queue<string> errorTail = new();
    private int processGroup;
    private int killed;

    private KernelProcess(Process process) => this.process = process;

    public int Id => process.Id;

    /// <summary>The kernel's last lines of standard error, for messages about a kernel that died.</summary>
    public string ErrorTail
    {
        get
        {
            lock (errorTail) return string.Join(Environment.NewLine, errorTail);
        }
    }

    /// <summary>Starts the kernel in <paramref name="workingDirectory"/> and waits until it reports ready.</summary>
    public static async Task<KernelProcess> StartAsync(string kernel, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout, CancellationToken cancellation)
    {
        var kernelProcess = new KernelProcess(new Process { StartInfo = StartInfo(kernel, workingDirectory, environment), EnableRaisingEvents = true });
        Running[kernelProcess] = true;
        try
        {
            kernelProcess.process.Start();
            kernelProcess.process.ErrorDataReceived += (_, e) => kernelProcess.AddError(e.Data);
            kernelProcess.process.BeginErrorReadLine();
            _ = Task.Run(kernelProcess.ReadEventsAsync, CancellationToken.None);
            await kernelProcess.WaitUntilReadyAsync(kernel, timeout, cancellation);
            kernelProcess.processGroup = OwnProcessGroup(kernelProcess.process.Id);
            return kernelProcess;
        }
        catch
        {
            kernelProcess.Kill();
            throw;
        }
    }

    /// <summary>
    /// How the kernel starts: in a session of its own where <c>setsid</c>
    /// exists, quiet, with passive OpenMP waiting, and with the caller's
    /// <paramref name="environment"/> over all of that.
    /// </summary>
    private static ProcessStartInfo StartInfo(string kernel, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        var command = new List<string>();
        var setsid = OperatingSystem.IsLinux() ? new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists) : null;
        if (setsid is not null) command.AddRange([setsid, "--wait"]);
        if (kernel.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) command.Add("dotnet");
        command.AddRange([kernel, "stdio", "--working-dir", workingDirectory]);
        start.FileName = command[0];
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        // No telemetry, no banner, and no MSBuild nodes that outlive a package restore.
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        // libtorch's OpenMP threads spin while they wait; on a busy machine (CI, a laptop running
        // other work) that made training ten times slower here (182 against 938 pictures/s at
        // 2 threads). Passive waiting keeps the speed; a value set by the caller wins.
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null) start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return start;
    }

    /// <summary>Reads events until the kernel says it is ready; says why when it exits first or is not ready in time.</summary>
    private async Task WaitUntilReadyAsync(string kernel, TimeSpan timeout, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var envelope = await events.Reader.ReadAsync(deadline.Token);
                if ((string?)envelope["eventType"] == "KernelReady") return;
            }
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The kernel {kernel} exited before it was ready (exit code {ExitCode()})." +
                                                Environment.NewLine + ErrorTail);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"The kernel {kernel} was not ready after {timeout.TotalSeconds:F0} s." + Environment.NewLine + ErrorTail);
        }
    }

    /// <summary>Sends one command envelope.</summary>
    public void Send(JsonObject envelope)
    {
        process.StandardInput.WriteLine(envelope.ToJsonString());
        process.StandardInput.Flush();
    }

    /// <summary>The next event envelope; a <see cref="ChannelClosedException"/> when the kernel has exited.</summary>
    public ValueTask<JsonObject> NextEventAsync(CancellationToken cancellation) => events.Reader.ReadAsync(cancellation);

    public string ExitCode()
    {
        try
        {
            return process.HasExited ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none yet";
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    /// <summary>Ends the kernel and everything it started; safe to call more than once and from any thread.</summary>
    public void Kill()
    {
        if (Interlocked.Exchange(ref killed, 1) == 1) return;
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // It has already exited, or was never started.
        }
        // Processes that the kernel started and that left its tree are still in its group.
        if (processGroup > 0) _ = kill(-processGroup, 9);
        try
        {
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
        Running.TryRemove(this, out _);
    }

    /// <summary>Kills every kernel still running: for process exit, signals and unhandled exceptions.</summary>
    public static void KillAll()
    {
        foreach (var kernel in Running.Keys) kernel.Kill();
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private async Task ReadEventsAsync()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith('{')) continue; // a banner or a stray print, not protocol
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(line);
                }
                catch (System.Text.Json.JsonException)
                {
                    continue;
                }
                if (node is JsonObject envelope && envelope["eventType"] is not null) events.Writer.TryWrite(envelope);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            events.Writer.TryComplete();
        }
    }

    private void AddError(string? line)
    {
        if (line is null) return;
        lock (errorTail)
        {
            errorTail.Enqueue(line);
            while (errorTail.Count > 40) errorTail.Dequeue();
        }
    }

    /// <summary>The kernel's process group if it leads one of its own (setsid made it), else 0: never the runner's own group.</summary>
    private static int OwnProcessGroup(int pid)
    {
        if (!OperatingSystem.IsLinux()) return 0;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var group = int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
            return group == pid && group != getpgrp() ? group : 0;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return 0;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [DllImport("libc")]
    private static extern int getpgrp();
}
