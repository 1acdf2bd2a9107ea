using System.CommandLine;
using System.Diagnostics;
using System.Text;
using ImageRestoration.Cli.Benchmarks;
using ImageRestoration.Data;

namespace ImageRestoration.Cli;

/// <summary>
/// <c>bench</c>: training and inference throughput, time per epoch and memory
/// of the presentation's model at each thread count, for TorchSharp and for the same
/// model in each variant a PyTorch user would try (eager, channels-last,
/// torch.compile), each measurement in a fresh process (so thread settings
/// and peak memory are its own), alternating over rounds.
/// </summary>
internal static class BenchCommand
{
    internal const string WorkerName = "bench-worker";
    private const string PyTorchScript = "bench/pytorch_autoencoder.py";
    private const string DefaultPython = "/opt/pytorch-bench-root/bench-python";

    public static Command Create(TextWriter output, TextWriter error, Option<string?> data)
    {
        var options = new BenchOptions();
        var command = new Command("bench", "Measure training and inference throughput and memory against PyTorch on this machine.")
            { options.Rounds, options.Threads, options.Epochs, options.Batch, options.Python, options.Report, options.Layers, data };
        command.SetAction(parsed => Program.Guarded(error, () =>
        {
            options.Check(parsed);
            var directory = CheckedData(parsed.GetValue(data), output);
            output.WriteLine($"CPU: {MachineDescription.Cpu()}");
            if (parsed.GetValue(options.Layers)) return ProfileLayers(directory, parsed.GetValue(options.Threads)!, parsed.GetValue(options.Report), output);
            var result = Compare(Workers(parsed, options, directory), parsed.GetValue(options.Rounds), parsed.GetValue(options.Threads)!, output);
            Write(result, parsed.GetValue(options.Report), output);
            return 0;
        }));
        return command;
    }

    /// <summary>The options of <c>bench</c>, and the checks on their values that come before minutes of measuring.</summary>
    private sealed class BenchOptions
    {
        public Option<int> Rounds { get; } = Program.WholeNumberOption("--rounds", "Rounds of alternating measurements; the report gives medians.", 3);
        public Option<int[]> Threads { get; } = Program.WholeNumbersOption("--threads", "Thread counts to measure.", [1, 2]);
        public Option<int> Epochs { get; } = Program.WholeNumberOption("--epochs", "Full training epochs per measurement (after a warm-up).", 2);
        public Option<int> Batch { get; } = Program.WholeNumberOption("--inference-batch", "Images per inference batch.", 128);

        public Option<string[]> Python { get; } = new("--python")
        {
            Description = "Pythons with PyTorch, each measured in every variant it offers (eager, channels-last, compile); 'none' skips PyTorch. " +
                          $"Default: Debian 13's PyTorch 2.6 in the root made by .devcontainer/pytorch-bench-root.sh ({DefaultPython}).",
            DefaultValueFactory = _ => [DefaultPython], AllowMultipleArgumentsPerToken = true,
        };

        public Option<FileInfo?> Report { get; } = new("--output") { Description = "Also write the Markdown table here, and beside it the raw measurements of the comparison (JSON lines)." };

        public Option<bool> Layers { get; } = new("--layers")
        {
            Description = "Instead of the comparison, time each part of a TorchSharp training step (every layer alone, the loss, the optimizer) " +
                          "against the whole step, at each thread count.",
        };

        public void Check(ParseResult parsed)
        {
            if (parsed.GetValue(Rounds) < 1 || parsed.GetValue(Epochs) < 1 || parsed.GetValue(Batch) < 1)
                throw new Configuration.ConfigurationException("--rounds, --epochs and --inference-batch must be positive.");
            foreach (var t in parsed.GetValue(Threads)!.Where(t => !TorchRuntime.IsUsableThreadCount(t)))
                throw new Configuration.ConfigurationException($"--threads {t}: must be between 1 and {Environment.ProcessorCount} (this machine's processors).");
            // Checked before minutes of measuring, not when the table is written.
            if (parsed.GetValue(Report) is { } table && (!Directory.Exists(table.DirectoryName) || Directory.Exists(table.FullName)))
                throw new Configuration.ConfigurationException(Directory.Exists(table.FullName)
                    ? $"--output {table.FullName} is a folder: give the file to write the table to."
                    : $"--output {table.FullName}: its folder {table.DirectoryName} does not exist.");
            if (parsed.GetValue(Layers) &&
                new Option[] { Rounds, Epochs, Batch, Python }.FirstOrDefault(o => parsed.GetResult(o) is { Implicit: false }) is { } unused)
                throw new Configuration.ConfigurationException($"{unused.Name} does not apply to --layers, which times TorchSharp's training step alone.");
        }
    }

    /// <summary>Each worker by the label the plan alternates: TorchSharp, then every PyTorch variant of every Python given.</summary>
    private static Dictionary<string, Func<int, (string File, string[] Arguments)>> Workers(ParseResult parsed, BenchOptions options, string directory)
    {
        var script = Path.Combine(AppContext.BaseDirectory, PyTorchScript);
        var pythons = parsed.GetValue(options.Python)!.Where(p => p != "none").Select(Path.GetFullPath).ToList();
        foreach (var p in pythons.Where(p => !File.Exists(p)))
            throw new Configuration.ConfigurationException(
                $"--python {p} does not exist: make Debian 13's PyTorch root with .devcontainer/pytorch-bench-root.sh, name another Python, or pass --python none.");
        var workers = new Dictionary<string, Func<int, (string File, string[] Arguments)>>
        {
            [BenchmarkReport.TorchSharp] = t => Self([WorkerName, .. Common(t)]),
        };
        foreach (var p in pythons)
        foreach (var variant in Variants(p, script))
            workers[$"{p} {variant}"] = t => (p, [script, "--variant", variant, .. Common(t)]);
        string[] Common(int t) =>
            ["--threads", t.ToString(), "--data", directory, "--epochs", parsed.GetValue(options.Epochs).ToString(), "--inference-batch", parsed.GetValue(options.Batch).ToString()];
        return workers;
    }

    /// <summary>The comparison's Markdown table on the console and, with --output, in that file with the raw measurements beside it.</summary>
    private static void Write(BenchmarkReport result, FileInfo? reportFile, TextWriter output)
    {
        var markdown = result.ToMarkdown();
        output.WriteLine();
        output.Write(markdown);
        if (reportFile is null) return;
        File.WriteAllText(reportFile.FullName, markdown);
        File.WriteAllLines(Path.ChangeExtension(reportFile.FullName, ".jsonl"), result.Measurements.Select(m => m.ToLine()));
    }

    /// <summary>
    /// Runs the plan: every worker at every thread count, alternating over
    /// rounds. A variant that diverges or fails becomes a failure row and is
    /// not run again at that thread count; the others go on.
    /// </summary>
    private static BenchmarkReport Compare(Dictionary<string, Func<int, (string File, string[] Arguments)>> workers, int rounds, int[] threads, TextWriter output)
    {
        var result = new BenchmarkReport();
        var failed = new HashSet<(string, int)>();
        foreach (var (round, t, worker) in BenchmarkReport.Plan(rounds, threads, workers.Keys.ToList()))
        {
            if (failed.Contains((worker, t))) continue;
            var (file, arguments) = workers[worker](t);
            var (measurement, failure) = RunWorker(file, arguments, worker, t);
            if (failure is not null)
            {
                failed.Add((worker, t));
                result.Failures.Add(failure);
                output.WriteLine($"round {round}: {failure.Framework,-32} {t} thread(s): {failure.Reason}; the comparison goes on without it");
                continue;
            }
            result.Measurements.Add(measurement!);
            output.WriteLine($"round {round}: {measurement!.Framework,-32} {t} thread(s): train {measurement.TrainImagesPerSecond:F0} img/s, " +
                             $"{measurement.EpochSeconds:F1} s/epoch, inference {measurement.InferenceImagesPerSecond:F0} img/s, peak {measurement.PeakMemoryMiB:F0} MiB");
        }
        var dispatch = result.Measurements.DistinctBy(m => BenchmarkReport.Release(m.Framework)).Select(m => $"{BenchmarkReport.Release(m.Framework)} {m.CpuCapability ?? "unknown"}");
        result.Machine = $"CPU: {MachineDescription.Cpu()}; instruction set each framework dispatches to: {string.Join(", ", dispatch)}.";
        return result;
    }

    /// <summary>The data folder, once both splits load: damaged data is refused before any measuring, in one line naming the file.</summary>
    private static string CheckedData(string? data, TextWriter output)
    {
        var directory = Path.GetFullPath(DataLocator.Resolve(data, log: output));
        TorchRuntime.Initialize();
        using (ImageDataset.Load(directory, DatasetSplit.Train))
        using (ImageDataset.Load(directory, DatasetSplit.Test))
            return directory;
    }

    /// <summary><c>bench --layers</c>: the <see cref="LayerProfile"/> of one batch of training images at each thread count.</summary>
    private static int ProfileLayers(string directory, int[] threads, FileInfo? report, TextWriter output)
    {
        TorchRuntime.Initialize();
        const int images = 128;
        using var train = ImageDataset.Load(directory, DatasetSplit.Train, images);
        var markdown = new StringBuilder();
        foreach (var t in threads)
        {
            TorchSharp.torch.set_num_threads(t);
            markdown.AppendLine(LayerProfile.ToMarkdown(t, train.Count, LayerProfile.Measure(train.Images)));
        }
        output.Write(markdown);
        if (report is not null) File.WriteAllText(report.FullName, markdown.ToString());
        return 0;
    }

    /// <summary>The hidden worker: one TorchSharp measurement in this process, printed as one RESULT line.</summary>
    public static Command CreateWorker(TextWriter output, TextWriter error, Option<string?> data)
    {
        var threads = new Option<int>("--threads") { Required = true };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 2 };
        var batch = new Option<int>("--inference-batch") { DefaultValueFactory = _ => 128 };
        var command = new Command(WorkerName, "One TorchSharp measurement (used by bench).") { Hidden = true };
        command.Options.Add(threads);
        command.Options.Add(epochs);
        command.Options.Add(batch);
        command.Options.Add(data);
        command.SetAction(parsed => Program.Guarded(error, () =>
        {
            var directory = DataLocator.Resolve(parsed.GetValue(data));
            output.WriteLine(TorchSharpWorker.Measure(directory, parsed.GetValue(threads), parsed.GetValue(epochs), parsed.GetValue(batch)).ToLine());
            return 0;
        }));
        return command;
    }

    /// <summary>The variants the PyTorch script offers under this Python (torch.compile needs PyTorch 2).</summary>
    private static string[] Variants(string python, string script)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--variants");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new Configuration.ConfigurationException($"--python {python} could not run {script} (exit {process.ExitCode}): {stdout}{stderr.Result}".Trim());
        return System.Text.Json.JsonSerializer.Deserialize<string[]>(stdout.Trim().Split('\n')[^1]) ?? [];
    }

    /// <summary>How to start this program again: through dotnet when it runs as a .dll, else its own executable.</summary>
    private static (string File, string[] Arguments) Self(string[] arguments)
    {
        var process = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [typeof(Program).Assembly.Location, .. arguments])
            : (process, arguments);
    }

    /// <summary>One worker process: its measurement, or why it measured nothing (it diverged, failed or printed no result).</summary>
    private static (BenchmarkMeasurement? Measurement, BenchmarkFailure? Failure) RunWorker(string file, IEnumerable<string> arguments, string worker, int threads)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var name = $"{worker} at {threads} thread(s)";
        if (process.ExitCode != 0) return (null, BenchmarkFailure.FromOutput(stdout + "\n" + stderr.Result, worker, threads, process.ExitCode));
        try
        {
            return (BenchmarkMeasurement.FromOutput(stdout, name), null);
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException)
        {
            return (null, new BenchmarkFailure(worker, threads, $"failed: no readable result ({e.Message.Split('\n')[0]})"));
        }
    }
}
