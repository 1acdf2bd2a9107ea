using System.CommandLine;
using System.Globalization;
using ImageRestoration.Configuration;
using ImageRestoration.Data;
using ImageRestoration.Models;
using ImageRestoration.Training;

namespace ImageRestoration.Cli;

/// <summary>The experiments from plain <c>dotnet</c> commands: the same library calls as the notebooks.</summary>
public static class Program
{
    /// <summary>Exit code for bad configuration, bad data or a missing data set.</summary>
    public const int UsageError = 2;

    public static int Main(string[] args) => BuildCommand(Console.Out, Console.Error).Parse(args).Invoke();

    public static RootCommand BuildCommand(TextWriter output, TextWriter error)
    {
        var config = new Option<FileInfo?>("--config") { Description = "A JSON configuration file (see 'keys' for every key)." };
        var set = new Option<string[]>("--set")
        {
            Description = "Override a configuration value, as key=value (repeatable), e.g. --set epochs=5 --set noise.factor=0.3.",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var epochs = new Option<int?>("--epochs") { Description = "Shortcut for --set epochs=N." };
        var data = new Option<string?>("--data") { Description = $"Folder with the MNIST-family files (else {DataLocator.EnvironmentVariable}, the cache, a download)." };

        var train = new Command("train", "Train the seed autoencoder (clean x->x, or denoising with --set mode=denoising) and save the run folder.")
            { config, set, epochs, data };
        train.SetAction(parsed => Guarded(error, () =>
        {
            var configuration = Resolve(parsed.GetValue(config), parsed.GetValue(set), parsed.GetValue(epochs), parsed.GetValue(data));
            return Train(configuration, output);
        }));

        var summary = new Command("summary", "Print the seed model's layers, output shapes and parameter count.");
        summary.SetAction(_ => Guarded(error, () =>
        {
            TorchRuntime.Initialize();
            using var model = new Autoencoder();
            output.WriteLine(ModelSummary.Of(model));
            return 0;
        }));

        var keys = new Command("keys", "List every configuration key with its default and meaning.");
        keys.SetAction(_ =>
        {
            foreach (var key in new ExperimentConfiguration().Keys())
                output.WriteLine($"{key.Name,-20} {key.Value,-10} {key.Type,-28} {key.Description}");
            return 0;
        });

        return new RootCommand("ImageRestoration: restore degraded MNIST digits with a convolutional autoencoder.") { train, summary, keys };
    }

    private static ExperimentConfiguration Resolve(FileInfo? file, string[]? overrides, int? epochs, string? data)
    {
        var configuration = file is null ? new ExperimentConfiguration() : ExperimentConfiguration.Load(file.FullName);
        var all = (overrides ?? []).ToList();
        if (epochs is not null) all.Add($"epochs={epochs}");
        if (data is not null) all.Add($"dataDirectory={data}");
        return configuration.With(all);
    }

    private static int Train(ExperimentConfiguration configuration, TextWriter output)
    {
        var runFolder = RunFolder.For(configuration);
        output.WriteLine($"Training {Experiment.RunName(configuration)}: {configuration.Epochs} epochs, batch {configuration.BatchSize}, " +
                         $"{(configuration.Threads > 0 ? configuration.Threads : TorchSharp.torch.get_num_threads())} threads; run folder {runFolder}");
        // Redraw the progress line in place only on a terminal.
        var live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        using var result = Experiment.Run(configuration, new TrainingProgress(output, configuration.Verbosity, configuration.Epochs, live), output);

        var last = result.History.Last!;
        output.WriteLine($"Trained on {result.Train.Count} images from {result.Train.Source}, validated on {result.Test.Count}.");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Final: train BCE {last.TrainLoss:F4}, validation BCE {last.ValidationLoss:F4}, validation MSE {last.ValidationMse:F5}, " +
            $"mean epoch {result.History.Epochs.Average(e => e.Seconds):F1}s."));
        output.WriteLine($"Saved model, history and configuration to {runFolder}; TensorBoard: tensorboard --logdir {configuration.LogDirectory}");
        return 0;
    }

    /// <summary>Known failures print one clear line and exit with <see cref="UsageError"/>; anything else is a bug and keeps its stack trace.</summary>
    private static int Guarded(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ConfigurationException or DataNotFoundException or InvalidDataException or FileNotFoundException
                                      or TrainingDivergedException)
        {
            error.WriteLine("error: " + e.Message);
            return UsageError;
        }
    }
}
