using System.Diagnostics;
using System.Runtime.InteropServices;
using ImageRestoration.Configuration;
using ImageRestoration.Models;
using ImageRestoration.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

/// <summary>The command line as a real child process: killed with SIGKILL, interrupted with SIGINT, resumed.</summary>
public sealed class ChildProcessTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly string data;
    private readonly string runs;

    public ChildProcessTests()
    {
        data = Path.Combine(temp.Path, "data");
        runs = Path.Combine(temp.Path, "runs");
        Directory.CreateDirectory(data);
        TinyMnist.Write(data, train: 1500, test: 200);
    }

    public void Dispose() => temp.Dispose();

    private string[] TrainArguments(int epochs) =>
        ["train", "--epochs", epochs.ToString(), "--data", data, "--set", $"logDirectory={runs}", "--set", "batchSize=16",
         "--set", "verbosity=2", "--set", "threads=1"];

    // The run folder's name ends in the configuration's fingerprint; "none" until the child makes it.
    private RunFolder Folder => new(RunIn(runs));

    private static string RunIn(string logDirectory) =>
        (Directory.Exists(logDirectory) ? Directory.GetDirectories(logDirectory, "clean-seed42-*").SingleOrDefault() : null)
        ?? Path.Combine(logDirectory, "none");

    /// <summary>Everything the children printed, for the messages of failed assertions.</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> printed = new();

    private string Printed => string.Join(Environment.NewLine, printed);

    private Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "image-restoration.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) printed.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) printed.Enqueue("stderr: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private int Finish(Process process, TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the child did not finish within {timeout}:{Environment.NewLine}{Printed}");
        }
        process.WaitForExit(); // drains the output
        return process.ExitCode;
    }

    private int CompletedEpochs() =>
        File.Exists(Folder.HistoryJsonFile) ? Folder.LoadHistory().Epochs.Count : 0;

    private void WaitForEpochs(int epochs, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (CompletedEpochs() < epochs)
        {
            Assert.False(process.HasExited, $"the child exited before it was stopped:{Environment.NewLine}{Printed}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "no epoch finished in 3 minutes");
            Thread.Sleep(20);
        }
    }

    /// <summary>Loads the checkpoint as a resumed run would: it must always be whole.</summary>
    private void AssertCheckpointIsWhole()
    {
        TorchRuntime.Initialize();
        using var model = new Autoencoder();
        using var optimizer = optim.Adam(model.parameters());
        using var generator = new Generator(0);
        var (history, position, order) = Checkpoint.Load(Folder.CheckpointFile, model, optimizer, generator);
        order?.Dispose();
        Assert.Equal(history.Epochs.Count + 1, position.Epoch);
        Assert.Empty(Directory.GetFiles(Folder.Path, "*.tmp"));
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [Fact]
    public void KilledMidEpochTwiceThenResumedHasEveryEpochExactlyOnce()
    {
        const int epochs = 5;
        var random = new Random(7);
        var first = Start(TrainArguments(epochs));
        WaitForEpochs(1, first);
        Thread.Sleep(random.Next(50, 400));
        first.Kill();
        Finish(first, TimeSpan.FromSeconds(30));
        AssertCheckpointIsWhole();

        var second = Start(["train", "--resume", Folder.Path]);
        WaitForEpochs(3, second);
        Thread.Sleep(random.Next(50, 400));
        second.Kill();
        Finish(second, TimeSpan.FromSeconds(30));
        AssertCheckpointIsWhole();

        var last = Start(["train", "--resume", Folder.Path]);
        Assert.Equal(0, Finish(last, TimeSpan.FromMinutes(5)));

        var history = Folder.LoadHistory();
        Assert.Equal(Enumerable.Range(1, epochs), history.Epochs.Select(e => e.Epoch));
        Assert.True(File.Exists(Folder.ModelFile));
        Assert.Equal(epochs, FinalMetrics.FromJson(File.ReadAllText(Folder.MetricsFile)).Epochs);

        // The interrupted run gives the same numbers as one that never stopped.
        var straightRuns = Path.Combine(temp.Path, "straight");
        var straight = Start([.. TrainArguments(epochs), "--set", $"logDirectory={straightRuns}"]);
        Assert.Equal(0, Finish(straight, TimeSpan.FromMinutes(5)));
        var expected = new RunFolder(RunIn(straightRuns)).LoadHistory();
        Assert.Equal(expected.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)), history.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)));
    }

    [Fact]
    public void CtrlCFinishesTheBatchWritesACheckpointAndExitsCleanly()
    {
        var child = Start(TrainArguments(epochs: 20));
        WaitForEpochs(1, child);
        Thread.Sleep(100);

        Assert.Equal(0, kill(child.Id, 2)); // SIGINT, as Ctrl+C sends
        Assert.Equal(130, Finish(child, TimeSpan.FromSeconds(60)));

        Assert.Contains(printed, line => line.Contains("Interrupted: checkpoint written"));
        AssertCheckpointIsWhole();
        Assert.False(File.Exists(Folder.ModelFile), "an interrupted run has no final model yet");
    }

    [Fact]
    public void NewRunRefusesToOverwriteAFolderThatHoldsARun()
    {
        var child = Start(TrainArguments(epochs: 1));
        Assert.Equal(0, Finish(child, TimeSpan.FromMinutes(2)));
        var before = Directory.GetFiles(Folder.Path).ToDictionary(f => f, File.ReadAllBytes);

        var again = Start(TrainArguments(epochs: 1));
        Assert.Equal(2, Finish(again, TimeSpan.FromMinutes(1)));
        var badResume = Start(["train", "--resume", Folder.Path, "--set", "learningRate=0.5"]);
        Assert.Equal(2, Finish(badResume, TimeSpan.FromMinutes(1)));

        Assert.All(before, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
    }
}
