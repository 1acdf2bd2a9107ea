using ImageRestoration.Configuration;
using ImageRestoration.Data;
using ImageRestoration.Models;
using static TorchSharp.torch;

namespace ImageRestoration.Training;

/// <summary>What one experiment produced: the trained model, its history, the data it used and where it was saved.</summary>
public sealed class ExperimentResult(ExperimentConfiguration configuration, RestorationModel model, TrainingHistory history,
    ImageDataset train, ImageDataset test, RunFolder runFolder) : IDisposable
{
    public ExperimentConfiguration Configuration { get; } = configuration;
    public RestorationModel Model { get; } = model;
    public TrainingHistory History { get; } = history;
    public ImageDataset Train { get; } = train;
    public ImageDataset Test { get; } = test;
    public RunFolder RunFolder { get; } = runFolder;

    public void Dispose()
    {
        Model.Dispose();
        Train.Dispose();
        Test.Dispose();
    }
}

/// <summary>One call from configuration to trained model: the same path for the command line, the notebooks and the tests.</summary>
public static class Experiment
{
    /// <summary>A name fixed by the configuration, so reruns of one experiment log to one place.</summary>
    public static string RunName(ExperimentConfiguration configuration) =>
        (configuration.Model == ModelCatalog.Seed ? "" : configuration.Model.ToLowerInvariant() + "-") +
        (configuration.Mode == TrainingMode.Clean ? "clean" : "denoising-" + configuration.Noise.Create().Name) +
        $"-seed{configuration.Seed}";

    /// <summary>Loads the data the configuration names, or downloads it (see <see cref="DataLocator"/>).</summary>
    public static (ImageDataset Train, ImageDataset Test) LoadData(ExperimentConfiguration configuration, TextWriter? log = null)
    {
        var directory = DataLocator.Resolve(configuration.DataDirectory, log: log);
        var train = ImageDataset.Load(directory, DatasetSplit.Train, configuration.TrainLimit);
        try
        {
            return (train, ImageDataset.Load(directory, DatasetSplit.Test, configuration.TestLimit));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>A fresh model of the configured kind, its weights drawn from the configuration's seed.</summary>
    public static RestorationModel CreateModel(ExperimentConfiguration configuration)
    {
        Prepare(configuration);
        manual_seed(configuration.Seed);
        return ModelCatalog.Create(configuration.Model);
    }

    /// <summary>Loads the data, builds the model, trains it as configured and saves the run folder.</summary>
    public static ExperimentResult Run(ExperimentConfiguration configuration, TrainingProgress? progress = null, TextWriter? log = null)
    {
        configuration.Validate();
        Prepare(configuration);
        var (train, test) = LoadData(configuration, log);
        var model = CreateModel(configuration);
        var folder = RunFolder.For(configuration);
        var trainer = new Trainer(model, configuration,
            configuration.Mode == TrainingMode.Denoising ? configuration.Noise.Create() : null)
        {
            Progress = progress,
            TensorBoardDirectory = folder.TensorBoardDirectory,
        };
        try
        {
            folder.SaveConfiguration(configuration);
            trainer.Fit(train.Images, test.Images);
            folder.SaveHistory(trainer.History);
            folder.SaveModel(model);
        }
        catch
        {
            model.Dispose();
            train.Dispose();
            test.Dispose();
            throw;
        }
        return new ExperimentResult(configuration, model, trainer.History, train, test, folder);
    }

    /// <summary>
    /// Loads the finished run of this configuration if its folder holds one
    /// made with the same configuration; otherwise trains it (and saves it).
    /// Lets later notebooks reuse what earlier ones trained.
    /// </summary>
    public static ExperimentResult LoadOrRun(ExperimentConfiguration configuration, TrainingProgress? progress = null, TextWriter? log = null)
    {
        configuration.Validate();
        var folder = RunFolder.For(configuration);
        if (!folder.HasTrainedModel || folder.LoadConfiguration().ToJson() != configuration.ToJson())
            return Run(configuration, progress, log);
        Prepare(configuration);
        log?.WriteLine($"Loading the finished run from {folder}");
        var (train, test) = LoadData(configuration, log);
        return new ExperimentResult(configuration, folder.LoadModel(), folder.LoadHistory(), train, test, folder);
    }

    private static void Prepare(ExperimentConfiguration configuration)
    {
        TorchRuntime.Initialize();
        if (configuration.Threads > 0) set_num_threads(configuration.Threads);
    }
}
