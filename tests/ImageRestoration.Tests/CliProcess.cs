using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace ImageRestoration.Tests;

/// <summary>
/// The built command line as a child process, as a user runs it: its own
/// working directory and environment, its output captured, stopped by a real
/// signal when asked.
/// </summary>
public sealed class CliProcess
{
    private readonly Process process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> lines = new();

    private CliProcess(Process process) => this.process = process;

    /// <summary>
    /// Starts <c>image-restoration</c> (or another built program of the kit, such as
    /// <c>notebook-runner.dll</c>) with <paramref name="arguments"/>; <paramref name="environment"/> values of null are removed.
    /// </summary>
    public static CliProcess Start(IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, string program = "image-restoration.dll")
    {
        var start = new ProcessStartInfo(InterruptIgnored ? "env" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (InterruptIgnored)
        {
            // env replaces itself with dotnet, so the child's id and signals stay the same.
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        start.Environment.Remove(ImageRestoration.Data.DataLocator.EnvironmentVariable);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, program));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var child = new CliProcess(Process.Start(start)!);
        child.process.OutputDataReceived += (_, e) => { if (e.Data is not null) child.lines.Enqueue(e.Data); };
        child.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child.lines.Enqueue("stderr: " + e.Data); };
        child.process.BeginOutputReadLine();
        child.process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// True when this process ignores SIGINT, as a job that a non-interactive
    /// shell started in the background does. Children inherit that, and a
    /// child that ignores Ctrl+C cannot show how it stops on one; so they are
    /// started with SIGINT's default restored, as a terminal would give them.
    /// </summary>
    private static readonly bool InterruptIgnored =
        File.Exists("/proc/self/status") && File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:")) is { } mask &&
        (Convert.ToUInt64(mask["SigIgn:".Length..].Trim(), 16) & (1UL << (SigInt - 1))) != 0;

    /// <summary>The signals a terminal's Ctrl+C and a service manager's stop send.</summary>
    public const int SigInt = 2, SigTerm = 15;

    /// <summary>Runs to the end and returns the exit code and everything printed (standard error lines start with "stderr: ").</summary>
    public static (int Code, string Output) Run(IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null, string program = "image-restoration.dll")
    {
        var child = Start(arguments, workingDirectory, environment, program);
        return (child.Finish(timeout ?? TimeSpan.FromMinutes(3)), child.Output);
    }

    public int Id => process.Id;
    public bool HasExited => process.HasExited;
    public string Output => string.Join(Environment.NewLine, lines);
    public IEnumerable<string> Lines => lines;

    public int Finish(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"the child did not finish within {timeout}:{Environment.NewLine}{Output}");
        }
        process.WaitForExit(); // drains the output
        return process.ExitCode;
    }

    /// <summary>Waits for <paramref name="condition"/>, failing if the child exits first or two minutes pass.</summary>
    public void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(HasExited, $"the child exited before {what}:{Environment.NewLine}{Output}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"no {what} within 2 minutes:{Environment.NewLine}{Output}");
            Thread.Sleep(20);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    public void Signal(int signal) => Assert.Equal(0, kill(process.Id, signal));

    public void KillNow()
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
        process.WaitForExit();
    }

    /// <summary>
    /// The run folder in <paramref name="logDirectory"/> whose name starts with
    /// <paramref name="prefix"/> (it ends in the configuration's fingerprint),
    /// not counting runs moved aside; "none" until a child makes it.
    /// </summary>
    public static ImageRestoration.Training.RunFolder RunFolderIn(string logDirectory, string prefix = "clean-seed42") =>
        new((Directory.Exists(logDirectory)
                ? Directory.GetDirectories(logDirectory, prefix + "-*").SingleOrDefault(d => !Path.GetFileName(d).Contains(".replaced-"))
                : null) ?? Path.Combine(logDirectory, "none"));

    /// <summary>Lines a user would read as a crash: a .NET stack frame or the name of an exception type.</summary>
    public static IReadOnlyList<string> StackTraceLines(string output) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).Select(l => l.StartsWith("stderr: ") ? l["stderr: ".Length..] : l)
            .Where(l => l.StartsWith("   at ") || ExceptionName.IsMatch(l)).ToList();

    private static readonly Regex ExceptionName = new(@"\b[A-Z][A-Za-z]*Exception\b|System\.[A-Za-z.]+`\d", RegexOptions.Compiled);
}
