using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using ImageRestoration.Configuration;
using ImageRestoration.Data;
using ImageRestoration.Models;
using ImageRestoration.Training;

namespace ImageRestoration.Cli;

/// <summary>The experiments from plain <c>dotnet</c> commands: the same library calls as the notebooks.</summary>
public static class Program
{
    /// <summary>Exit code for bad configuration, bad data, a missing data set or a run folder in the way.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code when training diverged (NaN or infinite loss).</summary>
    public const int Diverged = 3;

    /// <summary>Exit code when the run finished and was sealed, but its pages (loss chart, digit grid) could not be written.</summary>
    public const int PagesNotWritten = 4;

    /// <summary>Exit code after Ctrl+C: the current batch finished and a checkpoint was written.</summary>
    public const int Interrupted = 130;

    /// <summary>Exit code after SIGTERM (timeouts, containers, services): the same stop as Ctrl+C.</summary>
    public const int Terminated = 143;

    /// <summary>What an interrupted command exits with: set by the signal that stopped it.</summary>
    private static int interruptedCode = Interrupted;

    public static int Main(string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C stops after this batch with a checkpoint; a second one kills at once.
            if (interrupt.IsCancellationRequested) return;
            e.Cancel = true;
            Console.Error.WriteLine("\nStopping after this batch; writing a checkpoint (Ctrl+C again to kill at once).");
            interrupt.Cancel();
        };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            if (interrupt.IsCancellationRequested) return;
            context.Cancel = true;
            interruptedCode = Terminated;
            Console.Error.WriteLine("\nTerminated: stopping after this batch; writing a checkpoint.");
            interrupt.Cancel();
        });
        return Run(args, Console.Out, Console.Error, interrupt.Token);
    }

    /// <summary>Parses and runs a command line; a command line that does not parse exits 2 with one message per error.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken interrupt = default)
    {
        var parsed = BuildCommand(output, error, interrupt, args.FirstOrDefault()).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors) error.WriteLine("error: " + parseError.Message);
            error.WriteLine("See --help for the commands and their options.");
            return UsageError;
        }
        return parsed.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null, Output = output, Error = error });
    }

    /// <summary>A whole-number option whose parse error names the option and the value, not a .NET type.</summary>
    internal static Option<int?> WholeNumberOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => WholeNumbers(result, name) is [var value] ? value : null,
    };

    /// <summary>A whole-number option with a default, whose parse error names the option and the value.</summary>
    internal static Option<int> WholeNumberOption(string name, string description, int defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => WholeNumbers(result, name) is [var value] ? value : defaultValue,
    };

    /// <summary>An option of one or more whole numbers with a default, whose parse error names the option and the value.</summary>
    internal static Option<int[]> WholeNumbersOption(string name, string description, int[] defaultValues) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValues,
        AllowMultipleArgumentsPerToken = true,
        CustomParser = result => result.Tokens.Count == 0 ? defaultValues : WholeNumbers(result, name),
    };

    /// <summary>The option's values as whole numbers, or none, with an error naming the first value that is not one.</summary>
    private static int[] WholeNumbers(System.CommandLine.Parsing.ArgumentResult result, string name)
    {
        var values = new List<int>();
        foreach (var token in result.Tokens)
        {
            if (!int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                result.AddError($"{name} {token.Value}: not a whole number.");
                return [];
            }
            values.Add(value);
        }
        return [.. values];
    }

    /// <summary>
    /// The command line: only the command named by <paramref name="only"/> when there is one, so a run builds
    /// (and loads) its own command and no other; every command for the overview and for a name that is not one.
    /// </summary>
    public static RootCommand BuildCommand(TextWriter output, TextWriter error, CancellationToken interrupt = default, string? only = null)
    {
        var config = new Option<FileInfo?>("--config") { Description = "A JSON configuration file (keys below)." };
        var set = new Option<string[]>("--set")
        {
            Description = "Override a configuration value, as key=value (repeatable), e.g. --set epochs=5 --set degradation.noiseFactor=0.3.",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var epochs = WholeNumberOption("--epochs", "Shortcut for --set epochs=N.");
        var data = new Option<string?>("--data")
            { Description = $"Folder with the MNIST-family files (else {DataLocator.EnvironmentVariable}, the cache, a download)." };
        (string Name, Func<Command> Create)[] commands =
        [
            ("train", () => CreateTrain(output, error, interrupt, config, set, epochs, data)),
            ("summary", () => CreateSummary(output, error, set)),
            ("keys", () => CreateKeys(output)),
            ("evaluate", () => EvaluateCommand.Create(output, error, set, data)),
            ("study", () => StudyCommand.Create(output, error, config, set, epochs, data, interrupt)),
            ("epochs", () => EpochsCommand.Create(output, error)),
            ("record", () => RecordCommand.Create(output, error)),
            ("bench", () => BenchCommand.Create(output, error, data)),
            (BenchCommand.WorkerName, () => BenchCommand.CreateWorker(output, error, data)),
            ("train-photos", () => TrainPhotosCommand.Create(output, error, interrupt)),
            ("restore", () => RestoreCommand.Create(output, error)),
            ("photo-study", () => PhotoStudyCommand.Create(output, error)),
        ];
        var root = new RootCommand("ImageRestoration: restore degraded MNIST digits with a convolutional autoencoder.");
        var named = commands.Where(command => command.Name == only).ToArray();
        foreach (var (_, create) in named.Length > 0 ? named : commands) root.Subcommands.Add(create());
        return root;
    }

    /// <summary><c>train</c>: a new run from the defaults, a file and overrides, or <c>--resume</c> of a run folder with what a resume may change.</summary>
    private static Command CreateTrain(TextWriter output, TextWriter error, CancellationToken interrupt,
        Option<FileInfo?> config, Option<string[]> set, Option<int?> epochs, Option<string?> data)
    {
        var resume = new Option<DirectoryInfo?>("--resume")
            { Description = $"Continue the run in this folder from its checkpoint (only {string.Join(", ", AllowedChanges.ForResume)} may be changed)." };
        var force = new Option<bool>("--force") { Description = "Start over even if the run folder already holds a run." };
        var train = new Command("train", "Train a model (clean x->x, or denoising with --set mode=denoising) into its run folder " +
                                         "(logDirectory/run name): configuration, checkpoint every epoch, history, model, metrics, TensorBoard events." +
                                         Environment.NewLine + Environment.NewLine + KeyTable())
            { config, set, epochs, data, resume, force };
        train.SetAction(parsed => Guarded(error, () =>
        {
            var overrides = Overrides(parsed.GetValue(set), parsed.GetValue(epochs), parsed.GetValue(data));
            if (parsed.GetValue(resume) is { } folder)
                return Resume(new RunFolder(folder.FullName), parsed.GetValue(config) is not null, overrides, output, error, interrupt);
            var configuration = ConfigurationFactory.Create(parsed.GetValue(config)?.FullName, overrides, Environment.CurrentDirectory);
            var target = RunFolder.For(configuration);
            if (target.HasRun && !parsed.GetValue(force))
                throw new ConfigurationException($"{target} already holds a run. Continue it with --resume {target}, " +
                                                 "start over with --force, or choose another logDirectory or seed.");
            return Train(configuration, target, output, error, interrupt);
        }));
        return train;
    }

    /// <summary>The run folder's own configuration with the overrides (as <see cref="ResumePlan"/> allows), trained on from its checkpoint.</summary>
    private static int Resume(RunFolder folder, bool withConfigFile, List<string> overrides, TextWriter output, TextWriter error, CancellationToken interrupt)
    {
        if (withConfigFile)
            throw new ConfigurationException(
                $"A resumed run keeps its configuration: '--config' cannot change (only {string.Join(", ", AllowedChanges.ForResume)} can).");
        var plan = ResumePlan.For(folder, overrides);
        return Train(plan.Configuration, folder, output, error, interrupt, resume: plan);
    }

    private static Command CreateSummary(TextWriter output, TextWriter error, Option<string[]> set)
    {
        var summary = new Command("summary", "Print a model's layers, output shapes and parameter count (--set model=NAME).") { set };
        summary.SetAction(parsed => Guarded(error, () =>
        {
            var configuration = ConfigurationFactory.Create(overrides: parsed.GetValue(set) ?? []);
            using var model = Experiment.CreateModel(configuration);
            output.WriteLine(ModelSummary.Of(model));
            return 0;
        }));
        return summary;
    }

    private static Command CreateKeys(TextWriter output)
    {
        var keys = new Command("keys", "List every configuration key with its default and meaning.");
        keys.SetAction(_ =>
        {
            output.WriteLine(KeyTable());
            return 0;
        });
        return keys;
    }

    private static string KeyTable() =>
        "Configuration keys (default, type, meaning):" + Environment.NewLine +
        string.Join(Environment.NewLine, new ExperimentConfiguration().Keys()
            .Select(k => $"  {k.Name,-23} {k.Value,-14} {k.Type,-32} {k.Description}"));

    internal static List<string> Overrides(string[]? set, int? epochs, string? data)
    {
        var all = (set ?? []).ToList();
        if (epochs is not null) all.Add($"epochs={epochs}");
        if (data is not null) all.Add($"dataDirectory={data}");
        return all;
    }

    private static int Train(ExperimentConfiguration configuration, RunFolder folder, TextWriter output, TextWriter error, CancellationToken interrupt,
        ResumePlan? resume = null)
    {
        output.WriteLine($"{(resume is not null ? "Resuming" : "Training")} {RunName.Of(configuration)}: {configuration.Epochs} epochs, " +
                         $"batch {configuration.BatchSize}, model {configuration.Model}; run folder {folder}");
        // Redraw the progress line in place only on a terminal.
        var live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var progress = new TrainingProgress(output, configuration.Verbosity, configuration.Epochs, live);
        try
        {
            using var result = resume is not null
                ? Experiment.Resume(resume, progress, output, interrupt)
                : Experiment.Run(configuration, progress, output, interrupt);
            var last = result.History.Last!;
            output.WriteLine($"Trained on {result.Train.Count} images from {DisplayPath.Of(result.Train.Source)}, validated on {result.Test.Count}.");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Final: train BCE {last.TrainLoss:F4}, validation BCE {last.ValidationLoss:F4}, validation MSE {last.ValidationMse:F5}, " +
                $"mean epoch {result.History.Epochs.Average(e => e.Seconds):F1}s."));
            if (SavePages(result, error) is not { } pages) return PagesNotWritten;
            output.WriteLine($"Saved to {folder}: model, history, metrics, {string.Join(", ", pages.Select(Path.GetFileName))}; " +
                             $"TensorBoard: tensorboard --logdir {DisplayPath.Of(configuration.LogDirectory)}");
            return 0;
        }
        catch (OperationCanceledException)
        {
            output.WriteLine($"Interrupted: checkpoint written. Continue with: train --resume {folder}");
            return InterruptedCode;
        }
    }

    /// <summary>
    /// The run's pages, written after the run was sealed; if they cannot be
    /// written (a full disk), says that the run itself is complete, removes
    /// any half-written page and returns null.
    /// </summary>
    private static IReadOnlyList<string>? SavePages(ExperimentResult result, TextWriter error)
    {
        try
        {
            return Charts.RunPages.Save(result);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var temporary in Directory.EnumerateFiles(result.RunFolder.Path, "*.tmp"))
                File.Delete(temporary);
            error.WriteLine($"error: the run itself is complete and sealed in {result.RunFolder} (evaluate and --resume use it), " +
                            $"but its pages could not be written: {e.Message}");
            return null;
        }
    }

    /// <summary>130 after Ctrl+C, 143 after SIGTERM.</summary>
    internal static int InterruptedCode => interruptedCode;

    /// <summary>Known failures print one clear line and a known exit code; anything else is a bug and keeps its stack trace.</summary>
    internal static int Guarded(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        // IO errors (a full disk, a folder that cannot be written) name their path; the last good files are untouched.
        catch (Exception e) when (e is ConfigurationException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine("error: " + e.Message);
            return UsageError;
        }
        catch (TrainingDivergedException e)
        {
            error.WriteLine("error: " + e.Message);
            return Diverged;
        }
    }
}
