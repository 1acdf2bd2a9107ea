using ImageRestoration.Configuration;
using ImageRestoration.Training;

namespace ImageRestoration.Tests;

/// <summary>
/// What would present a wrong result as a good one, tried through the real
/// command line: a run folder half old and half new after an interrupted
/// <c>--force</c>, a flipped bit in a saved model or checkpoint, a resume
/// that finds other data than its run was trained on.
/// </summary>
public sealed class RunIntegrityTests : IDisposable
{
    private readonly CliWorkspace workspace = new(testImages: 100);

    public void Dispose() => workspace.Dispose();

    private RunFolder Folder => workspace.Folder;

    private static void AssertNoStackTrace(string output) => Assert.Empty(CliProcess.StackTraceLines(output));

    [Fact]
    public void AnInterruptedForceLeavesNoHalfOldRunAndLosesNothing()
    {
        var (code, output) = CliProcess.Run(workspace.Train(4, workspace.Data));
        Assert.True(code == 0, output);
        var oldModel = File.ReadAllBytes(Folder.ModelFile);
        var written = File.GetLastWriteTimeUtc(Folder.ConfigurationFile);

        var forced = CliProcess.Start([.. workspace.Train(4, workspace.Data), "--force"]);
        forced.WaitUntil(() => File.Exists(Folder.ConfigurationFile) && File.GetLastWriteTimeUtc(Folder.ConfigurationFile) > written, "the new run's configuration");
        Thread.Sleep(200);
        forced.Signal(CliProcess.SigInt);
        Assert.Equal(130, forced.Finish(TimeSpan.FromMinutes(1)));

        // After a crash the history is never replaced by an empty one.
        if (File.Exists(Folder.HistoryJsonFile)) Assert.NotEmpty(Folder.LoadHistory().Epochs);
        // The folder is plainly unfinished: evaluate refuses it rather than show the old model's numbers.
        var (evaluated, evaluation) = CliProcess.Run(["evaluate", Folder.Path]);
        Assert.True(evaluated == 2, $"evaluate exited {evaluated} on a half-replaced run:{Environment.NewLine}{evaluation}");
        Assert.Contains(Folder.Path, evaluation);
        AssertNoStackTrace(evaluation);
        // The old run was moved aside whole, not mixed and not lost.
        Assert.False(File.Exists(Folder.ModelFile), "the old model stays beside the new run's configuration");
        var aside = Directory.GetDirectories(workspace.Runs, "clean-seed42-*.replaced-*").ToList();
        Assert.Single(aside);
        Assert.Equal(oldModel, File.ReadAllBytes(Path.Combine(aside[0], "model.bin")));
    }

    [Fact]
    public void AFlippedBitInTheModelOrTheCheckpointIsRefusedNamingTheFile()
    {
        var (code, output) = CliProcess.Run(workspace.Train(1, workspace.Data));
        Assert.True(code == 0, output);
        var random = new Random(20261125);
        foreach (var (file, command) in new[]
                 {
                     (Folder.ModelFile, new[] { "evaluate", Folder.Path }),
                     (Folder.CheckpointFile, new[] { "train", "--resume", Folder.Path, "--epochs", "2" }),
                 })
        {
            var original = File.ReadAllBytes(file);
            for (var trial = 0; trial < 5; trial++) // 20 positions per file: EveryFileOfARunRefusesOneFlippedBitAtTwentyPositions
            {
                var flipped = (byte[])original.Clone();
                var position = random.Next(flipped.Length);
                var bit = random.Next(8);
                flipped[position] ^= (byte)(1 << bit);
                File.WriteAllBytes(file, flipped);
                var (refused, said) = CliProcess.Run(command);
                Assert.True(refused == 2 && said.Contains(Path.GetFileName(file)),
                    $"{Path.GetFileName(file)} with bit {bit} of byte {position} flipped: exit {refused}{Environment.NewLine}{said}");
                Assert.DoesNotContain("Epoch 2/2", said);
                AssertNoStackTrace(said);
                File.WriteAllBytes(file, original);
            }
        }
    }

    /// <summary>Every file of a finished run, and the checkpoint by its own seal, with one bit flipped at 20 seeded positions each.</summary>
    [Fact]
    public void EveryFileOfARunRefusesOneFlippedBitAtTwentyPositions()
    {
        var (code, output) = CliProcess.Run(workspace.Train(1, workspace.Data));
        Assert.True(code == 0, output);
        Folder.VerifyComplete();
        TorchRuntime.Initialize();
        var random = new Random(7);
        string[] files = ["configuration.json", "data.json", "checkpoint.bin", "history.json", "history.csv", "model.bin", "metrics.json", "complete.json"];
        foreach (var name in files)
        {
            var path = Folder.File(name);
            var original = File.ReadAllBytes(path);
            for (var trial = 0; trial < 20; trial++)
            {
                var flipped = (byte[])original.Clone();
                var position = random.Next(flipped.Length);
                var bit = random.Next(8);
                flipped[position] ^= (byte)(1 << bit);
                File.WriteAllBytes(path, flipped);
                var refusal = Assert.Throws<InvalidDataException>(Folder.VerifyComplete);
                Assert.True(refusal.Message.Contains(name), $"{name}, bit {bit} of byte {position}: {refusal.Message}");
                if (name == "checkpoint.bin")
                {
                    using var model = new Models.Autoencoder();
                    using var optimizer = TorchSharp.torch.optim.Adam(model.parameters());
                    using var generator = new TorchSharp.torch.Generator(0);
                    var damaged = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, model, optimizer, generator));
                    Assert.Contains(path, damaged.Message);
                }
            }
            File.WriteAllBytes(path, original);
        }
        Folder.VerifyComplete();
    }

    /// <summary>The notebooks' and the studies' load path: a damaged finished run or someone else's unfinished run is refused, never trained over.</summary>
    [Fact]
    public void LoadOrRunRefusesADamagedRunAndResumesItsOwnUnfinishedOne()
    {
        var configuration = new ExperimentConfiguration().With("epochs=2", "batchSize=16", "verbosity=0", "threads=1", "trainLimit=200",
            $"dataDirectory={workspace.Data}", $"logDirectory={workspace.Runs}");
        Experiment.Run(configuration).Dispose();
        using (Experiment.LoadOrRun(configuration)) { }

        var model = File.ReadAllBytes(Folder.ModelFile);
        var flipped = (byte[])model.Clone();
        flipped[model.Length / 2] ^= 4;
        File.WriteAllBytes(Folder.ModelFile, flipped);
        Assert.Contains("model.bin", Assert.Throws<InvalidDataException>(() => Experiment.LoadOrRun(configuration)).Message);
        File.WriteAllBytes(Folder.ModelFile, model);

        // Unfinished (no marker): the same experiment resumes; a folder holding another configuration is refused, its checkpoint kept.
        File.Delete(Folder.CompletionFile);
        using (var resumed = Experiment.LoadOrRun(configuration))
            Assert.Equal([1, 2], resumed.History.Epochs.Select(e => e.Epoch));
        Folder.VerifyComplete();
        File.Delete(Folder.CompletionFile);
        configuration.With("learningRate=0.01").Save(Folder.ConfigurationFile);
        var checkpoint = File.ReadAllBytes(Folder.CheckpointFile);
        var refusal = Assert.Throws<InvalidDataException>(() => Experiment.LoadOrRun(configuration));
        Assert.Contains("no completion marker", refusal.Message);
        Assert.Equal(checkpoint, File.ReadAllBytes(Folder.CheckpointFile));
    }

    [Fact]
    public void AResumeThatFindsOtherDataRefusesNamingBoth()
    {
        var other = Path.Combine(workspace.Path, "other");
        Directory.CreateDirectory(other);
        TinyMnist.Write(other, train: 1500, test: 100, shift: 100);

        var first = CliProcess.Start(workspace.Train(3, null), environment: new Dictionary<string, string?> { ["IMAGE_RESTORATION_DATA"] = workspace.Data });
        first.WaitUntil(() => workspace.CompletedEpochs() >= 1, "a finished epoch");
        first.Signal(CliProcess.SigInt);
        Assert.Equal(130, first.Finish(TimeSpan.FromMinutes(1)));

        var (code, output) = CliProcess.Run(["train", "--resume", Folder.Path],
            environment: new Dictionary<string, string?> { ["IMAGE_RESTORATION_DATA"] = other });
        Assert.True(code == 2, $"a resume on other data exited {code}:{Environment.NewLine}{output}");
        Assert.Contains(workspace.Data, output);
        Assert.Contains(other, output);
        AssertNoStackTrace(output);
    }

    [Fact]
    public void ARelativeDataFolderIsSavedAbsoluteSoAResumeElsewhereFindsIt()
    {
        var first = CliProcess.Start(workspace.Train(3, "data"), workingDirectory: workspace.Path);
        first.WaitUntil(() => workspace.CompletedEpochs() >= 1, "a finished epoch");
        first.Signal(CliProcess.SigInt);
        Assert.Equal(130, first.Finish(TimeSpan.FromMinutes(1)));

        var (code, output) = CliProcess.Run(["train", "--resume", Folder.Path], workingDirectory: Path.GetTempPath());
        Assert.True(code == 0, output);
        Assert.Equal([1, 2, 3], Folder.LoadHistory().Epochs.Select(e => e.Epoch));
    }
}
