using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageRestoration.Data;
using ImageRestoration.Training;

namespace ImageRestoration.Tests;

/// <summary>
/// The second hostile run: refusals that must leave a finished run finished,
/// edited or foreign files that must never train, one writer per run folder,
/// JSON of every shape, a disk that fills while the pages are written, and
/// the bench's failing PyTorch variants. Tiny MNIST, two epochs a run.
/// </summary>
public sealed partial class FaultInjectionTests
{
    [Fact]
    public void SecondHostileRunIsRefused()
    {
        var clock = Stopwatch.StartNew();
        var data = Dir("data");
        TinyMnist.Write(data, train: 600, test: 40);
        var other = Dir("other");
        TinyMnist.Write(other, train: 600, test: 40, shift: 7);

        RefusalsLeaveAFinishedRunFinished(other);
        var folder = ForeignFiles(data);
        OldCheckpoints(folder);
        Histories(folder);
        OneWriter(data);
        JsonReaders(data);
        PagesOnAFullDisk(data);
        Bench();
        Summarize("fault injection (second hostile run)", clock);
    }

    private string[] TrainHere(string runs, int epochs, params string[] more) =>
        ["train", "--epochs", epochs.ToString(), "--set", $"logDirectory={runs}", "--set", "batchSize=16", "--set", "verbosity=2", "--set", "threads=1", .. more];

    /// <summary>A finished run whose data moved under it: each resume is refused, and the run still verifies and evaluates afterwards.</summary>
    private void RefusalsLeaveAFinishedRunFinished(string other)
    {
        var pinned = Dir("pinned");
        TinyMnist.Write(pinned, train: 600, test: 40);
        var link = Path.Combine(temp.Path, "pinned-link");
        File.CreateSymbolicLink(link, pinned);
        var runs = Dir("pinned-runs");
        var environment = new Dictionary<string, string?> { [DataLocator.EnvironmentVariable] = link };
        Case("a run on the data IMAGE_RESTORATION_DATA names", TrainHere(runs, 2), 0, environment: environment);
        var folder = CliProcess.RunFolderIn(runs);
        string[] resume = ["train", "--resume", folder.Path, "--epochs", "3"];
        void StillFinished(string after)
        {
            if (!folder.IsComplete) { lost++; failures.Add($"{after}: the finished run lost its completion marker"); }
            Case($"evaluate after {after}", ["evaluate", folder.Path], 0, "the run's own data", environment);
        }
        void Relink(string target)
        {
            File.Delete(link);
            File.CreateSymbolicLink(link, target);
        }

        Case("a finished run resumed with IMAGE_RESTORATION_DATA switched", resume, 2, "other content",
            new Dictionary<string, string?> { [DataLocator.EnvironmentVariable] = other });
        StillFinished("IMAGE_RESTORATION_DATA switched");
        Relink(other);
        Case("a finished run resumed with its data symlink pointing elsewhere", resume, 2, "other content", environment);
        Relink(pinned);
        StillFinished("the symlink pointing elsewhere");
        TinyMnist.Write(pinned, train: 600, test: 40, shift: 7);
        Case("a finished run resumed with its data replaced in place", resume, 2, "other content", environment);
        TinyMnist.Write(pinned, train: 600, test: 40);
        StillFinished("its data replaced in place");
        Directory.Move(pinned, pinned + "-gone");
        Case("a finished run resumed with its data folder gone", resume, 2, null, environment);
        Directory.Move(pinned + "-gone", pinned);
        StillFinished("its data folder gone");

        Case("evaluate on other data than the run's, asked for", ["evaluate", folder.Path, "--set", "dataDirectory="], 0, "NOT the run's data",
            new Dictionary<string, string?> { [DataLocator.EnvironmentVariable] = other });
    }

    /// <summary>Edited configurations, forged markers, another run's model and checkpoint: refused, naming the file; returns the intact run.</summary>
    private RunFolder ForeignFiles(string data)
    {
        var runs = Dir("identity-runs");
        Case("a finished run", Train(data, runs, 2), 0);
        var folder = CliProcess.RunFolderIn(runs);
        var configuration = File.ReadAllText(folder.ConfigurationFile);
        var marker = File.ReadAllText(folder.CompletionFile);
        string[] resume = ["train", "--resume", folder.Path, "--epochs", "3"];
        foreach (var (key, from, to) in new[] { ("epochs", "\"epochs\": 2,", "\"epochs\": 3,"), ("learningRate", "\"learningRate\": 0.001,", "\"learningRate\": 0.002,"),
                     ("trainLimit", "\"trainLimit\": 0,", "\"trainLimit\": 100,") })
        {
            Assert.Contains(from, configuration);
            File.WriteAllText(folder.ConfigurationFile, configuration.Replace(from, to));
            File.WriteAllText(folder.CompletionFile, marker);
            Case($"a finished run's configuration.json with {key} edited, resumed", resume, 2, "configuration.json");
            Case($"a finished run's configuration.json with {key} edited, evaluated", ["evaluate", folder.Path], 2, "configuration.json");
            Case($"a finished run's configuration.json with {key} edited, epochs", ["epochs", folder.Path], 2, "configuration.json");
            // Past the seal, the folder's name still pins every key but the epoch count, which a resume may raise
            // (--resume --epochs 3 writes the very same configuration).
            if (key == "epochs") continue;
            File.WriteAllText(folder.CompletionFile, Resealed(marker, folder, "configuration.json"));
            Case($"{key} edited and the marker forged to match, evaluated", ["evaluate", folder.Path], 2, "does not belong");
            Case($"{key} edited and the marker forged to match, epochs", ["epochs", folder.Path], 2, "does not belong");
            File.Delete(folder.CompletionFile);
            Case($"{key} edited and the marker removed, resumed", resume, 2, "does not belong");
        }
        File.WriteAllText(folder.ConfigurationFile, configuration);
        File.WriteAllText(folder.CompletionFile, marker);

        var sevenRuns = Dir("seed7-runs");
        Case("a run of seed 7", Train(data, sevenRuns, 2, "--set", "seed=7"), 0);
        var seven = CliProcess.RunFolderIn(sevenRuns, "clean-seed7");
        var (model, checkpoint) = (File.ReadAllBytes(folder.ModelFile), File.ReadAllBytes(folder.CheckpointFile));
        File.Copy(seven.ModelFile, folder.ModelFile, overwrite: true);
        File.Copy(seven.CheckpointFile, folder.CheckpointFile, overwrite: true);
        File.Delete(folder.CompletionFile);
        var (_, output) = Case("model.bin and checkpoint.bin of a seed-7 run in a seed-42 folder, resumed", resume, 2, "belongs to the run clean-seed7");
        if (output.Contains("Epoch 3")) failures.Add("another run's checkpoint was trained on");
        File.WriteAllBytes(folder.ModelFile, model);
        File.WriteAllBytes(folder.CheckpointFile, checkpoint);
        File.WriteAllText(folder.CompletionFile, marker);
        Case("the run evaluates after its files came back", ["evaluate", folder.Path], 0, "PSNR");
        return folder;
    }

    /// <summary>The marker with <paramref name="name"/>'s SHA-256 recomputed: what a forger would write.</summary>
    private static string Resealed(string marker, RunFolder folder, string name)
    {
        var node = JsonNode.Parse(marker)!;
        node["Files"]![name] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(folder.File(name))));
        return node.ToJsonString();
    }

    /// <summary>Checkpoints in the older format (no seal, no run name) with impossible contents are refused; a sound one still resumes.</summary>
    private void OldCheckpoints(RunFolder finished)
    {
        var copy = new RunFolder(Path.Combine(Dir("old-checkpoints"), Path.GetFileName(finished.Path)));
        Directory.CreateDirectory(copy.Path);
        foreach (var file in Directory.GetFiles(finished.Path)) File.Copy(file, copy.File(Path.GetFileName(file)));
        File.Delete(copy.CompletionFile);
        var sealedBytes = File.ReadAllBytes(finished.CheckpointFile);
        var permutation = Enumerable.Range(0, 600).Select(i => (long)(599 - i)).ToArray();
        var next = finished.LoadHistory().Epochs.Count + 1;
        string[] resume = ["train", "--resume", copy.Path, "--epochs", "3"];
        var cases = new (string Name, TrainingPosition Position, long[]? Order, string Names)[]
        {
            ("at batch 100000 of an epoch of 38", new TrainingPosition(next, 99999, 1, 1, 1), permutation, "batch 100000"),
            ("at batch 100000 with no order", new TrainingPosition(next, 99999, 1, 1, 1), null, "no image order"),
            ("an order that repeats image 0", new TrainingPosition(next, 1, 1, 1, 1), new long[600], "not a permutation"),
            ("an order with indices out of range", new TrainingPosition(next, 1, 1, 1, 1), permutation.Select(i => i + 1_000_000).ToArray(), "not a permutation"),
            ("an order of 10 images for 600", new TrainingPosition(next, 1, 1, 1, 1), Enumerable.Range(0, 10).Select(i => (long)i).ToArray(), "10 training images"),
            ("a position that does not follow the history", new TrainingPosition(next + 4, 0, 0, 0, 0), null, "does not follow"),
            ("negative running sums", new TrainingPosition(next, 1, -5, 1, 1), permutation, "impossible"),
        };
        foreach (var (name, position, order, names) in cases)
        {
            WriteOldCheckpoint(sealedBytes, copy.CheckpointFile, position, order);
            var (_, output) = Case($"an old-format checkpoint {name}, resumed", resume, 2, names);
            if (output.Contains("Epoch 3")) failures.Add($"an old-format checkpoint {name} was trained on");
        }
        WriteOldCheckpoint(sealedBytes, copy.CheckpointFile, new TrainingPosition(next, 0, 0, 0, 0), null);
        Case("a sound old-format checkpoint, resumed", resume, 0, $"Epoch {next}/3");
    }

    /// <summary>A checkpoint as the older format wrote it: the same entries, no run name, no seal (a zip without a comment).</summary>
    private static void WriteOldCheckpoint(byte[] sealedCheckpoint, string path, TrainingPosition position, long[]? order)
    {
        using var source = new ZipArchive(new MemoryStream(sealedCheckpoint), ZipArchiveMode.Read);
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        void Add(string name, byte[] bytes)
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(bytes);
        }
        foreach (var entry in source.Entries.Where(e => e.FullName is "model.bin" or "optimizer.bin" or "generator.bin" or "history.json"))
        {
            using var content = new MemoryStream();
            using (var stream = entry.Open()) stream.CopyTo(content);
            Add(entry.FullName, content.ToArray());
        }
        Add("position.json", JsonSerializer.SerializeToUtf8Bytes(position));
        if (order is not null) Add("order.bin", System.Runtime.InteropServices.MemoryMarshal.AsBytes(order.AsSpan()).ToArray());
    }

    /// <summary>Histories of every wrong shape: exit 2 naming history.json, never a stack trace; a finished run's edited history is refused as evaluate refuses it.</summary>
    private void Histories(RunFolder finished)
    {
        var history = File.ReadAllText(finished.HistoryJsonFile);
        File.WriteAllText(finished.HistoryJsonFile, history.Replace("\"epoch\": 2", "\"epoch\": 2 "));
        Case("epochs of a finished run with a hand-edited history.json", ["epochs", finished.Path], 2, "history.json");
        File.WriteAllText(finished.HistoryJsonFile, history);
        var copy = new RunFolder(Path.Combine(Dir("histories"), Path.GetFileName(finished.Path)));
        Directory.CreateDirectory(copy.Path);
        File.Copy(finished.ConfigurationFile, copy.ConfigurationFile);
        foreach (var text in new[] { "{}", """{"epochs":[]}""", """{"epochs":null}""", "[null]", "null", """{"epochs":[null]}""", """{"epochs":"x"}""",
                     """{"epochs":[{"epoch":1,"trainLoss":"low"}]}""", """{"epochs":[{"epoch":2,"trainLoss":0.1}]}""", """{"epochs":[],"bogus":1}""",
                     """{"epochs":[{"epoch":1,"trainLoss":0.1,"nested":{"a":1}}]}""" })
        {
            File.WriteAllText(copy.HistoryJsonFile, text);
            Case($"epochs of an unfinished run whose history is {text}", ["epochs", copy.Path], 2, "history.json");
        }
    }

    /// <summary>A second writer into a running run (another thread count, --force, --resume) is refused naming the process; kill -9 leaves no stale lock.</summary>
    private void OneWriter(string data)
    {
        var runs = Dir("lock-runs");
        // Batches of 4: slow enough that the refusals below come while it still trains.
        var child = CliProcess.Start(Train(data, runs, 12, "--set", "batchSize=4"));
        WaitUntil(() => Epochs(CliProcess.RunFolderIn(runs, "clean-seed42")) >= 1, child, "a finished epoch");
        var folder = CliProcess.RunFolderIn(runs);
        var holder = $"process {child.Id}";
        Case("the same run with threads=2 and --force while it trains", Train(data, runs, 12, "--set", "batchSize=4", "--set", "threads=2", "--force"), 2, holder);
        Case("--resume of a run while it trains", ["train", "--resume", folder.Path], 2, holder);
        if (child.HasExited) failures.Add("the locked run finished before the second writers were tried: the refusals above prove nothing");
        if (Directory.GetDirectories(runs, "*.replaced-*").Length > 0) { lost++; failures.Add("--force moved a running run aside"); }
        child.KillNow();
        tried++;
        Case("a resume after kill -9 (the lock died with its process)", ["train", "--resume", folder.Path], 0, "Epoch 12/12");
    }

    /// <summary>Configuration files and notebooks of every wrong size, shape and type.</summary>
    private void JsonReaders(string data)
    {
        var runs = Dir("json-runs");
        string Config(string name, string text)
        {
            var path = Path.Combine(temp.Path, name + ".json");
            File.WriteAllText(path, text);
            return path;
        }
        string[] TrainWith(string config) => ["train", "--config", config, "--data", data, "--set", $"logDirectory={runs}"];
        var clock = Stopwatch.StartNew();
        Case("--config /dev/zero", TrainWith("/dev/zero"), 2, "/dev/zero");
        if (clock.Elapsed > TimeSpan.FromSeconds(30)) failures.Add($"--config /dev/zero took {clock.Elapsed.TotalSeconds:F0} s to refuse");
        Case("a configuration of 2 MiB", TrainWith(Config("huge", "{" + new string(' ', 2 << 20) + "}")), 2, "huge.json");
        Case("earlyStopping.enabled true", TrainWith(Config("enabled", """{"earlyStopping": {"enabled": true}}""")), 2, "enabled");
        Case("an unknown nested key", TrainWith(Config("nested", """{"degradation": {"bogus": 1}}""")), 2, "bogus");
        Case("an unknown key two levels down", TrainWith(Config("deep", """{"earlyStopping": {"patience": 1, "more": {"x": 1}}}""")), 2, "more");
        Case("a nested value of the wrong type", TrainWith(Config("type", """{"degradation": {"noiseFactor": "high"}}""")), 2, "degradation.noiseFactor");
        Case("a section that is a number", TrainWith(Config("section", """{"earlyStopping": 5}""")), 2, "earlyStopping");

        const string runner = "notebook-runner.dll";
        string Notebook(string name, string text)
        {
            var path = Path.Combine(temp.Path, name + ".ipynb");
            File.WriteAllText(path, text);
            return path;
        }
        foreach (var (name, text, names) in new[]
                 {
                     ("cells-of-scalars", """{"cells":[5,"x",null]}""", "cells[0]"),
                     ("metadata-string", """{"cells":[{"cell_type":"code","source":"1","metadata":"m"}]}""", "cells[0].metadata"),
                     ("source-number", """{"cells":[{"cell_type":"code","source":5,"metadata":{}}]}""", "cells[0].source"),
                     ("unknown-cell-key", """{"cells":[{"cell_type":"code","source":"","metadata":{},"bogus":1}]}""", "bogus"),
                     ("outputs-string", """{"cells":[{"cell_type":"code","source":"","metadata":{},"outputs":"x"}]}""", "cells[0].outputs"),
                 })
        {
            var notebook = Notebook(name, text);
            Case($"notebook-runner --check on a notebook with {name}", ["--check", notebook], 1, names, program: runner);
            Case($"notebook-runner --export of a notebook with {name}", ["--export", notebook, "--output", Dir("pages")], 1, names, program: runner);
        }
        var file = Path.Combine(temp.Path, "a-file-not-a-folder");
        File.WriteAllText(file, "x");
        Case("notebook-runner --export to a path under a file", ["--export", Notebook("fine", """{"cells":[]}"""), "--output", Path.Combine(file, "pages")], 2,
            "--output", program: runner);
        var (_, help) = Case("notebook-runner --help", ["--help"], 0, "usage: notebook-runner", program: runner);
        if (help.Contains("stderr: usage")) failures.Add("notebook-runner --help printed its usage on standard error");
    }

    /// <summary>A disk that fills while the pages are written, after the run is sealed: exit 4 saying the run is complete, no .tmp, the run evaluates.</summary>
    private void PagesOnAFullDisk(string data)
    {
        var disk = Dir("pages-disk");
        // Room for the run's files (about 250 KB) but not for plotly.js (3.6 MB) beside its loss page.
        if (!Mount(disk, "size=1m", out var why))
        {
            log.WriteLine($"skipped: a full disk while the pages are written (mount -t tmpfs failed: {why})");
            return;
        }
        try
        {
            Case("a disk that fills while the pages are written", Train(data, disk, 2), 4, "the run itself is complete");
            var folder = CliProcess.RunFolderIn(disk);
            if (Directory.GetFiles(folder.Path, "*.tmp").Length > 0) failures.Add("a full disk while writing the pages left a .tmp file");
            Case("evaluate the run whose pages did not fit", ["evaluate", folder.Path], 0, "PSNR");
        }
        finally
        {
            Unmount(disk);
        }
    }

    /// <summary>
    /// The bench with a stand-in Python whose variants diverge and crash (no
    /// PyTorch is needed): each becomes a row and TorchSharp is still measured;
    /// bad options and bad data are refused before anything is measured.
    /// </summary>
    private void Bench()
    {
        var data = Dir("bench-data");
        TinyMnist.Write(data, train: 2700, test: 200);
        var python = Path.Combine(temp.Path, "failing-python");
        File.WriteAllText(python, """
            #!/bin/sh
            # A stand-in for a Python with PyTorch: two variants, one diverges, one crashes.
            for a in "$@"; do [ "$a" = --variants ] && { echo '["eager", "channels-last"]'; exit 0; }; done
            case "$*" in
              *"--variant eager"*) echo 'FAILED {"framework": "PyTorch 9.9.9 eager", "threads": 1, "reason": "diverged at epoch 1 (batch 3): a non-finite output"}'; exit 3;;
              *) printf 'Traceback (most recent call last):\n  File "bench.py", line 1\nRuntimeError: could not create a primitive\n' >&2; exit 1;;
            esac
            """.Replace("\r", ""));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string[] bench = ["bench", "--python", python, "--rounds", "2", "--threads", "1", "--epochs", "1", "--data", data];
        var (code, output) = Case("bench with a diverging and a crashing PyTorch variant", bench, 0, "| PyTorch 9.9.9 eager | 1 | 0 | diverged at epoch 1");
        if (code == 0)
        {
            foreach (var expected in new[] { "failed: exit 1, RuntimeError: could not create a primitive", "| TorchSharp | 1 | 2 |", "CPU: ",
                         "instruction set each framework dispatches to: TorchSharp " })
                if (!output.Contains(expected, StringComparison.Ordinal)) failures.Add($"the bench output does not show '{expected}':{Environment.NewLine}{output}");
            if (output.Contains("Traceback", StringComparison.Ordinal)) failures.Add("the bench printed a worker's Python stack trace");
            if (output.Split('\n').Count(l => l.Contains("diverged at epoch 1") && l.StartsWith("round ")) != 1)
                failures.Add("the diverging variant was measured again after it diverged");
        }

        var folder = Dir("a-folder");
        Case("bench --layers --output a folder", ["bench", "--layers", "--output", folder, "--data", data], 2, "is a folder");
        Case("bench --output in a folder that does not exist", ["bench", "--python", "none", "--output", Path.Combine(folder, "none", "t.md"), "--data", data], 2, "does not exist");
        var truncated = Dir("bench-truncated");
        TinyMnist.Write(truncated, train: 2700, test: 200);
        IdxFile.Write(Path.Combine(truncated, MnistFiles.TrainImages + ".gz"), [2700, 28, 28], new byte[1000]);
        var (_, refused) = Case("bench --python none on a truncated data file", ["bench", "--python", "none", "--data", truncated], 2, MnistFiles.TrainImages);
        if (refused.Contains("round ", StringComparison.Ordinal)) failures.Add("the bench measured before refusing damaged data");
    }
}
