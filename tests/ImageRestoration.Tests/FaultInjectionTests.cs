using System.Buffers.Binary;
using System.Diagnostics;
using ImageRestoration.Data;
using ImageRestoration.Training;
using Xunit.Abstractions;

namespace ImageRestoration.Tests;

/// <summary>
/// The real command line, attacked: kill -9 at seeded random moments, a full
/// disk, flipped bits, and every bad input a user can give. Each case must end
/// in a finished run, a clean interruption, or exit 2 with a message; never a
/// stack trace, a lost result or a wrong result presented as good. Prints
/// one summary line (run with --logger "console;verbosity=detailed" to see it).
/// </summary>
public sealed partial class FaultInjectionTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly List<string> failures = [];
    private int tried, refused, lost;

    public void Dispose() => temp.Dispose();

    private string Dir(string name)
    {
        var path = Path.Combine(temp.Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string[] Train(string data, string runs, int epochs, params string[] more) =>
        ["train", "--epochs", epochs.ToString(), "--data", data, "--set", $"logDirectory={runs}", "--set", "batchSize=16",
         "--set", "verbosity=2", "--set", "threads=1", .. more];

    /// <summary>Runs one case and checks its exit code, that its output names <paramref name="names"/>, and that it shows no stack trace.</summary>
    private (int Code, string Output) Case(string name, string[] arguments, int expected, string? names = null,
        IReadOnlyDictionary<string, string?>? environment = null, string program = "image-restoration.dll")
    {
        tried++;
        var (code, output) = CliProcess.Run(arguments, environment: environment, program: program);
        if (code == 2) refused++;
        Check(name, code, expected, names, output);
        return (code, output);
    }

    private void Check(string name, int code, int expected, string? names, string output)
    {
        if (code != expected)
        {
            failures.Add($"{name}: exit {code}, expected {expected}:{Environment.NewLine}{output}");
            if (expected == 2 && code == 0) lost++; // a wrong result presented as good
        }
        else if (names is not null && !output.Contains(names, StringComparison.Ordinal))
            failures.Add($"{name}: the output does not name '{names}':{Environment.NewLine}{output}");
        var traces = CliProcess.StackTraceLines(output);
        if (traces.Count > 0) failures.Add($"{name}: stack trace lines:{Environment.NewLine}{string.Join(Environment.NewLine, traces)}");
    }

    private static void WaitUntil(Func<bool> condition, CliProcess child, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (child.HasExited) throw new InvalidOperationException($"the child exited before {what}:{Environment.NewLine}{child.Output}");
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"no {what} in 2 minutes");
            Thread.Sleep(20);
        }
    }

    private static int Epochs(RunFolder folder)
    {
        try
        {
            return File.Exists(folder.HistoryJsonFile) ? folder.LoadHistory().Epochs.Count : 0;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return 0;
        }
    }

    private static bool Mount(string directory, string options, out string why)
    {
        var mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", options, "tmpfs", directory])
            { RedirectStandardError = true })!;
        why = mount.StandardError.ReadToEnd().Trim();
        mount.WaitForExit();
        return mount.ExitCode == 0;
    }

    private static void Unmount(string directory) => Process.Start("umount", [directory])!.WaitForExit();

    [Fact]
    public void EveryFaultIsRefusedOrSurvived()
    {
        var data = Dir("data");
        TinyMnist.Write(data, train: 600, test: 40);
        var runs = Dir("runs");
        var clock = Stopwatch.StartNew();

        KillNineAtRandomMoments(data, runs);
        var folder = CliProcess.RunFolderIn(runs);
        BadInputs(data);
        BitFlips(data, folder);
        FullDisk(data);
        Signals(data);

        // Nothing saved was lost: the killed-and-resumed run still verifies and scores.
        Case("the finished run evaluates after everything", ["evaluate", folder.Path], 0, "PSNR");
        Summarize("fault injection", clock);
    }

    /// <summary>Prints the suite's summary line and fails with every failure listed.</summary>
    private void Summarize(string title, Stopwatch clock)
    {
        var summary = $"{title}: {tried} cases tried, {refused} refused with exit 2, {lost} lost results, " +
                      $"{failures.Count(f => f.Contains("stack trace"))} with stack traces, {failures.Count} failures, {clock.Elapsed.TotalSeconds:F0} s";
        log.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine + Environment.NewLine, failures));
        Assert.Equal(0, lost);
    }

    /// <summary>At least ten kills at seeded random moments, then a resume: the same model, byte for byte, as a run never killed.</summary>
    private void KillNineAtRandomMoments(string data, string runs)
    {
        RunFolder Folder() => CliProcess.RunFolderIn(runs);
        const int epochs = 16;
        var random = new Random(1125);
        var (kills, afterACheckpoint) = (0, 0);
        while (kills < 10)
        {
            tried++;
            var resume = File.Exists(Folder().CheckpointFile) && !Folder().IsComplete;
            var child = CliProcess.Start(resume ? ["train", "--resume", Folder().Path] : Train(data, runs, epochs, "--force"));
            // Every other kill comes at a random moment from the start (loading, first writes); the others once an epoch
            // has ended, so they land mid-epoch, in a checkpoint write or in the history writes that follow it.
            if (kills % 2 == 0) Thread.Sleep(random.Next(200, 2500));
            else
            {
                var clock = Stopwatch.StartNew();
                while (!child.HasExited && !child.Lines.Any(l => l.StartsWith("Epoch ")) && clock.Elapsed < TimeSpan.FromMinutes(1)) Thread.Sleep(5);
                Thread.Sleep(random.Next(0, 400));
            }
            if (child.HasExited)
            {
                Check($"run {kills} finished before its kill", child.Finish(TimeSpan.FromSeconds(10)), 0, null, child.Output);
                continue; // finished: the next start is a new run (--force)
            }
            if (File.Exists(Folder().CheckpointFile)) afterACheckpoint++;
            child.KillNow();
            kills++;
        }
        // The last kill may have come before the new run's first checkpoint: then it starts again.
        var (code, _) = Case("finishing after ten kills",
            File.Exists(Folder().CheckpointFile) ? ["train", "--resume", Folder().Path] : Train(data, runs, epochs, "--force"), 0);
        if (code != 0) return;
        if (Directory.GetFiles(Folder().Path, "*.tmp").Length > 0) failures.Add("a .tmp file was left after the resumed run finished");

        var straightRuns = Dir("straight");
        Case("a run never killed", Train(data, straightRuns, epochs), 0);
        var straight = CliProcess.RunFolderIn(straightRuns);
        var folder = Folder();
        var (resumed, expected) = (folder.LoadHistory(), straight.LoadHistory());
        if (!resumed.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss)).SequenceEqual(expected.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss))) ||
            !File.ReadAllBytes(folder.ModelFile).AsSpan().SequenceEqual(File.ReadAllBytes(straight.ModelFile)))
        {
            lost++;
            failures.Add("the killed-and-resumed run differs from the run never killed");
        }
        log.WriteLine($"kill -9: {kills} kills ({afterACheckpoint} with a checkpoint on disk), then finished with " +
                      $"{resumed.Epochs.Count} epochs and a model identical to a run never killed");
    }

    private void BadInputs(string data)
    {
        var runs = Dir("bad-runs");
        string BadData(string name, Action<string> write)
        {
            var directory = Dir(name);
            TinyMnist.Write(directory, train: 40, test: 10);
            write(directory);
            return directory;
        }
        var trainImages = MnistFiles.TrainImages + ".gz";

        var big = Dir("32x32");
        TinyMnist.Write(big, train: 40, test: 10, size: 32);
        Case("images of 32x32", Train(big, runs, 1), 2, "32x32");
        var empty = Dir("empty");
        TinyMnist.Write(empty, train: 0, test: 10);
        Case("zero images", Train(empty, runs, 1), 2, "holds no images");
        var overflow = BadData("overflow", d =>
        {
            File.Delete(Path.Combine(d, trainImages));
            var header = new byte[16];
            header[2] = 8;
            header[3] = 3;
            for (var i = 0; i < 3; i++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), int.MaxValue);
            File.WriteAllBytes(Path.Combine(d, MnistFiles.TrainImages), [.. header, 1, 2, 3]);
        });
        Case("IDX sizes whose product overflows", Train(overflow, runs, 1), 2, "promise more data bytes");
        var lying = BadData("lying", d => IdxFile.Write(Path.Combine(d, trainImages), [100000, 28, 28], new byte[10]));
        Case("an IDX header promising more than the file holds", Train(lying, runs, 1), 2, trainImages);
        var badCrc = BadData("bad-crc", d =>
        {
            var bytes = File.ReadAllBytes(Path.Combine(d, trainImages));
            bytes[^6] ^= 1;
            File.WriteAllBytes(Path.Combine(d, trainImages), bytes);
        });
        Case("a bad gzip CRC", Train(badCrc, runs, 1), 2, "gzip integrity error");
        var garbage = BadData("garbage", d => File.AppendAllText(Path.Combine(d, trainImages), "garbage"));
        Case("bytes after the gzip stream", Train(garbage, runs, 1), 2, "after its gzip stream");

        Case("threads above the processor count", Train(data, runs, 1, "--set", "threads=999"), 2, "threads = 999");
        Case("negative threads", Train(data, runs, 1, "--set", "threads=-1"), 2, "threads = -1");
        var file = Path.Combine(temp.Path, "a-file");
        File.WriteAllText(file, "not a folder");
        Case("logDirectory that is a file", Train(data, file, 1), 2, file);
        var readOnly = Dir("read-only");
        if (Mount(readOnly, "ro,size=64k", out var why))
        {
            try
            {
                Case("logDirectory on a read-only disk", Train(data, readOnly, 1), 2, readOnly);
            }
            finally
            {
                Unmount(readOnly);
            }
        }
        else log.WriteLine($"skipped: logDirectory on a read-only disk (mount -t tmpfs failed: {why})");
        var (_, parse) = Case("--epochs that is not a number", ["train", "--epochs", "abc", "--data", data, "--set", $"logDirectory={runs}"], 2, "--epochs abc");
        if (parse.Contains("System.")) failures.Add("the parse error shows a .NET type name");
        Case("an unknown option", ["train", "--bogus"], 2, "--bogus");
        var duplicated = Path.Combine(temp.Path, "duplicated.json");
        File.WriteAllText(duplicated, """{ "epochs": 1, "epochs": 2 }""");
        Case("a key given twice in a JSON configuration", ["train", "--config", duplicated, "--data", data, "--set", $"logDirectory={runs}"], 2, "epochs");
        Case("a run folder that does not exist", ["evaluate", Path.Combine(runs, "none")], 2, "none");
        Case("a resume of a folder that holds no run", ["train", "--resume", Path.Combine(runs, "none")], 2, "none");
    }

    /// <summary>A finished run; each of its files with a bit flipped at seeded positions; evaluate and resume must refuse, naming the file.</summary>
    private void BitFlips(string data, RunFolder folder)
    {
        Case("degradation.noiseFactor on a clean run", ["evaluate", folder.Path, "--set", "degradation.noiseFactor=0.3"], 2, "degradation.noiseFactor");
        Case("a resume asking for fewer epochs", ["train", "--resume", folder.Path, "--epochs", "1"], 2, "epochs = 1");
        var random = new Random(2026);
        foreach (var name in new[] { "configuration.json", "data.json", "checkpoint.bin", "history.json", "history.csv", "model.bin", "metrics.json", "complete.json" })
        {
            var path = folder.File(name);
            var original = File.ReadAllBytes(path);
            for (var trial = 0; trial < 2; trial++)
            {
                var flipped = (byte[])original.Clone();
                var position = random.Next(flipped.Length);
                flipped[position] ^= (byte)(1 << random.Next(8));
                File.WriteAllBytes(path, flipped);
                Case($"{name} with a bit of byte {position} flipped", ["evaluate", folder.Path], 2, name);
                File.WriteAllBytes(path, original);
            }
        }
        // An unfinished run: its checkpoint is checked by its own seal when resumed.
        var runs = Dir("flip-runs");
        var child = CliProcess.Start(Train(data, runs, 50));
        WaitUntil(() => Epochs(CliProcess.RunFolderIn(runs)) >= 1, child, "a finished epoch");
        var unfinished = CliProcess.RunFolderIn(runs);
        child.Signal(CliProcess.SigInt);
        tried++;
        Check("Ctrl+C during training", child.Finish(TimeSpan.FromMinutes(1)), 130, "Interrupted", child.Output);
        var checkpoint = File.ReadAllBytes(unfinished.CheckpointFile);
        for (var trial = 0; trial < 3; trial++)
        {
            var flipped = (byte[])checkpoint.Clone();
            var position = random.Next(flipped.Length);
            flipped[position] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(unfinished.CheckpointFile, flipped);
            var (_, output) = Case($"checkpoint.bin with a bit of byte {position} flipped, resumed", ["train", "--resume", unfinished.Path], 2, "checkpoint.bin");
            if (output.Contains("Epoch ")) failures.Add("a damaged checkpoint was trained on");
        }
        File.WriteAllBytes(unfinished.CheckpointFile, checkpoint);
        Case("evaluate an unfinished run", ["evaluate", unfinished.Path], 2, "no completion marker");
        // The run's --data was saved absolute; the files in that folder change under it.
        TinyMnist.Write(data, train: 600, test: 40, shift: 7);
        Case("a resume whose data files changed in place", ["train", "--resume", unfinished.Path], 2, data);
        TinyMnist.Write(data, train: 600, test: 40);
    }

    /// <summary>A disk that fills up mid-training: exit 2 naming the path, the last good checkpoint intact, no .tmp left; after room is made, the resume finishes.</summary>
    private void FullDisk(string data)
    {
        var disk = Dir("full-disk");
        if (!Mount(disk, "size=96k", out var why))
        {
            log.WriteLine($"skipped: a full disk (mount -t tmpfs failed: {why})");
            return;
        }
        try
        {
            var (code, _) = Case("a disk that fills up during training", Train(data, disk, 5), 2, disk);
            var folder = CliProcess.RunFolderIn(disk);
            if (code != 2) return;
            if (Directory.GetFiles(folder.Path, "*.tmp").Length > 0) failures.Add("a full disk left a .tmp file");
            if (!File.Exists(folder.CheckpointFile)) failures.Add("a full disk: no checkpoint survived (the disk filled before the first one)");
            var remount = Process.Start("mount", ["-o", "remount,size=4m", disk])!;
            remount.WaitForExit();
            Case("the resume once the disk has room", ["train", "--resume", folder.Path], 0);
            if (Epochs(folder) != 5) { lost++; failures.Add($"after the full disk the run has {Epochs(folder)} epochs, not 5"); }
        }
        finally
        {
            Unmount(disk);
        }
    }

    /// <summary>SIGTERM stops like Ctrl+C, exit 143; Ctrl+C during a study stops after the current run's checkpoint.</summary>
    private void Signals(string data)
    {
        var runs = Dir("signal-runs");
        var child = CliProcess.Start(Train(data, runs, 50));
        WaitUntil(() => Epochs(CliProcess.RunFolderIn(runs)) >= 1, child, "a finished epoch");
        var folder = CliProcess.RunFolderIn(runs);
        child.Signal(CliProcess.SigTerm);
        tried++;
        Check("SIGTERM during training", child.Finish(TimeSpan.FromMinutes(1)), 143, "Interrupted: checkpoint written", child.Output);
        if (!File.Exists(folder.CheckpointFile) || Directory.GetFiles(folder.Path, "*.tmp").Length > 0)
            failures.Add("SIGTERM left no checkpoint or a .tmp file");

        var studyRuns = Dir("study-runs");
        RunFolder Noisy() => CliProcess.RunFolderIn(studyRuns, "denoising-gaussian-0.5-seed42");
        var study = CliProcess.Start(["study", "baselines", "--epochs", "50", "--data", data, "--set", $"logDirectory={studyRuns}",
            "--set", "batchSize=16", "--set", "verbosity=2", "--set", "threads=1"]);
        WaitUntil(() => Epochs(Noisy()) >= 1, study, "the study's first epoch");
        var noisy = Noisy();
        study.Signal(CliProcess.SigInt);
        tried++;
        Check("Ctrl+C during a study", study.Finish(TimeSpan.FromMinutes(1)), 130, "Interrupted", study.Output);
        if (!File.Exists(noisy.CheckpointFile) || Directory.GetFiles(noisy.Path, "*.tmp").Length > 0)
            failures.Add("Ctrl+C during a study left no checkpoint or a .tmp file");
    }
}
