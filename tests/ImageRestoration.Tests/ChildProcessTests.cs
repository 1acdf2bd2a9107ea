using ImageRestoration.Models;
using ImageRestoration.Training;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

/// <summary>The command line as a real child process: killed with SIGKILL, interrupted with SIGINT, resumed.</summary>
public sealed class ChildProcessTests : IDisposable
{
    private readonly CliWorkspace workspace = new(testImages: 200);

    public void Dispose() => workspace.Dispose();

    private RunFolder Folder => workspace.Folder;

    private string[] TrainArguments(int epochs) => workspace.Train(epochs, workspace.Data);

    private void WaitForEpochs(int epochs, CliProcess child) =>
        child.WaitUntil(() => workspace.CompletedEpochs() >= epochs, $"epoch {epochs}");

    /// <summary>
    /// Waits until <paramref name="epochs"/> are saved, then for a random tenth to six tenths of the last
    /// epoch's time as its history measured it: the child is then in the middle of the next epoch on a fast
    /// machine as on a slow one (an epoch here can take under half a second), not saving it.
    /// </summary>
    private void WaitIntoTheNextEpoch(int epochs, CliProcess child, Random random)
    {
        WaitForEpochs(epochs, child);
        var seconds = Folder.LoadHistory().Epochs[^1].Seconds;
        Thread.Sleep(TimeSpan.FromSeconds(seconds * (0.1 + 0.5 * random.NextDouble())));
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
        Assert.Empty(Directory.GetFiles(Folder.Path, "*.tmp").Select(Path.GetFileName));
    }

    [Fact]
    public void KilledMidEpochTwiceThenResumedHasEveryEpochExactlyOnce()
    {
        const int epochs = 5;
        var random = new Random(7);
        var first = CliProcess.Start(TrainArguments(epochs));
        WaitIntoTheNextEpoch(1, first, random);
        first.KillNow();
        AssertCheckpointIsWhole();

        var second = CliProcess.Start(["train", "--resume", Folder.Path]);
        WaitIntoTheNextEpoch(3, second, random);
        second.KillNow();
        AssertCheckpointIsWhole();

        var last = CliProcess.Start(["train", "--resume", Folder.Path]);
        Assert.Equal(0, last.Finish(TimeSpan.FromMinutes(5)));

        var history = Folder.LoadHistory();
        Assert.Equal(Enumerable.Range(1, epochs), history.Epochs.Select(e => e.Epoch));
        Assert.True(File.Exists(Folder.ModelFile));
        Assert.Equal(epochs, FinalMetrics.FromJson(File.ReadAllText(Folder.MetricsFile)).Epochs);

        // The interrupted run gives the same numbers as one that never stopped.
        var straightRuns = Path.Combine(workspace.Path, "straight");
        var straight = CliProcess.Start([.. TrainArguments(epochs), "--set", $"logDirectory={straightRuns}"]);
        Assert.Equal(0, straight.Finish(TimeSpan.FromMinutes(5)));
        var expected = CliProcess.RunFolderIn(straightRuns).LoadHistory();
        Assert.Equal(expected.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)), history.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)));
    }

    [Fact]
    public void CtrlCFinishesTheBatchWritesACheckpointAndExitsCleanly()
    {
        var child = CliProcess.Start(TrainArguments(epochs: 20));
        WaitForEpochs(1, child);
        Thread.Sleep(100);

        child.Signal(CliProcess.SigInt);
        Assert.Equal(130, child.Finish(TimeSpan.FromSeconds(60)));

        Assert.Contains(child.Lines, line => line.Contains("Interrupted: checkpoint written"));
        AssertCheckpointIsWhole();
        Assert.False(File.Exists(Folder.ModelFile), "an interrupted run has no final model yet");
    }

    [Fact]
    public void NewRunRefusesToOverwriteAFolderThatHoldsARun()
    {
        var child = CliProcess.Start(TrainArguments(epochs: 1));
        Assert.Equal(0, child.Finish(TimeSpan.FromMinutes(2)));
        var before = Directory.GetFiles(Folder.Path).ToDictionary(f => f, File.ReadAllBytes);

        var again = CliProcess.Start(TrainArguments(epochs: 1));
        Assert.Equal(2, again.Finish(TimeSpan.FromMinutes(1)));
        var badResume = CliProcess.Start(["train", "--resume", Folder.Path, "--set", "learningRate=0.5"]);
        Assert.Equal(2, badResume.Finish(TimeSpan.FromMinutes(1)));

        Assert.All(before, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
    }
}
