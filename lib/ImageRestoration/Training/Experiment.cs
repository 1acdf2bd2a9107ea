using ImageRestoration.Configuration;
using ImageRestoration.Data;
using ImageRestoration.Metrics;
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
    /// <summary>Loads the data the configuration names, or downloads it (see <see cref="DataLocator"/>).</summary>
    public static (ImageDataset Train, ImageDataset Test) LoadData(ExperimentConfiguration configuration, TextWriter? log = null) =>
        LoadData(configuration, DataLocator.Resolve(configuration.DataDirectory, log: log));

    /// <summary>Loads both splits from <paramref name="directory"/>, refusing images of another size than the configuration's.</summary>
    public static (ImageDataset Train, ImageDataset Test) LoadData(ExperimentConfiguration configuration, string directory)
    {
        var train = ImageDataset.Load(directory, DatasetSplit.Train, configuration.TrainLimit);
        try
        {
            train.RequireImageSize(configuration.ImageHeight, configuration.ImageWidth);
            var test = ImageDataset.Load(directory, DatasetSplit.Test, configuration.TestLimit);
            try
            {
                test.RequireImageSize(configuration.ImageHeight, configuration.ImageWidth);
            }
            catch
            {
                test.Dispose();
                throw;
            }
            return (train, test);
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
        Prepare(ConfigurationFactory.Require(configuration));
        return SeededModel(configuration);
    }

    /// <summary>Loads the data, builds the model, trains it as configured and saves its run folder (<see cref="RunFolder.For"/>).</summary>
    /// <remarks>An earlier run in the same folder is moved aside once the data checks out (see <see cref="RunFolder.PrepareForTraining"/>).</remarks>
    public static ExperimentResult Run(ExperimentConfiguration configuration, TrainingProgress? progress = null, TextWriter? log = null,
        CancellationToken cancellation = default)
    {
        ConfigurationFactory.Require(configuration);
        return Train(configuration, RunFolder.For(configuration), resume: false, progress, log, cancellation);
    }

    /// <summary>Continues a run from its checkpoint, as <paramref name="plan"/> (<see cref="ResumePlan.For"/>) checked it may be.</summary>
    public static ExperimentResult Resume(ResumePlan plan, TrainingProgress? progress = null, TextWriter? log = null, CancellationToken cancellation = default) =>
        Train(plan.Configuration, plan.Folder, resume: true, progress, log, cancellation);

    /// <summary>
    /// Trains into <paramref name="folder"/>: from the start, or with
    /// <paramref name="resume"/> from its checkpoint. The checkpoint and the
    /// history are rewritten after every epoch; the model and metrics.json at
    /// the end. A cancelled run keeps a checkpoint and throws
    /// <see cref="OperationCanceledException"/>. One process at a time trains
    /// into a folder (<see cref="RunLock"/>), and every check that can refuse
    /// a resume runs before anything in the folder changes.
    /// </summary>
    private static ExperimentResult Train(ExperimentConfiguration configuration, RunFolder folder, bool resume,
        TrainingProgress? progress, TextWriter? log, CancellationToken cancellation)
    {
        if (resume && !File.Exists(folder.CheckpointFile))
            throw new FileNotFoundException($"{folder} holds no checkpoint to resume from ({folder.CheckpointFile}).", folder.CheckpointFile);
        using var writer = RunLock.Acquire(folder);
        if (resume) VerifyResumable(configuration, folder);
        Prepare(configuration);
        var directory = DataLocator.Resolve(configuration.DataDirectory, log: log);
        var data = DataFingerprint.Of(directory);
        if (resume) folder.RequireSameData(data);
        var (train, test) = LoadData(configuration, directory);
        RestorationModel? model = null;
        try
        {
            // Only now, with every check passed, does anything in the folder change.
            folder.PrepareForTraining(fresh: !resume, log);
            if (!resume) folder.SaveData(data);
            model = SeededModel(configuration);
            var history = Fit(configuration, model, train, test, folder, resume, progress, log, cancellation);
            if (history.Epochs.Count < configuration.Epochs && history.Last is { } last)
                log?.WriteLine($"Stopped early after epoch {last.Epoch} of {configuration.Epochs}: the validation loss has not fallen by more than " +
                               $"{configuration.EarlyStopping.MinDelta} for {configuration.EarlyStopping.Patience} epochs (earlyStopping.patience).");
            folder.SaveModel(model);
            folder.SaveMetrics(Metrics(configuration, model, history, train, test));
            folder.MarkComplete();
            return new ExperimentResult(configuration, model, history, train, test, folder);
        }
        catch
        {
            model?.Dispose();
            train.Dispose();
            test.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Refuses to resume a folder that is not whole: a finished run whose
    /// sealed files changed, or a configuration that names another run.
    /// </summary>
    private static void VerifyResumable(ExperimentConfiguration configuration, RunFolder folder)
    {
        if (folder.IsComplete) folder.VerifyComplete();
        folder.RequireIdentity(configuration);
    }

    /// <summary>The trainer's part of <see cref="Train"/>: checkpoint, history and TensorBoard events in the run folder.</summary>
    private static TrainingHistory Fit(ExperimentConfiguration configuration, RestorationModel model, ImageDataset train, ImageDataset test,
        RunFolder folder, bool resume, TrainingProgress? progress, TextWriter? log, CancellationToken cancellation)
    {
        using var trainer = new Trainer(model, configuration, ValidationInputs.TrainingDegradation(configuration))
        {
            Progress = progress,
            TensorBoardDirectory = folder.TensorBoardDirectory,
            CheckpointFile = folder.CheckpointFile,
            EpochCompleted = folder.SaveHistory,
        };
        if (resume)
        {
            trainer.Resume(folder.CheckpointFile, train.Count);
            // Every check passed: from here on the run is unfinished until it finishes again.
            folder.Unseal();
            log?.WriteLine($"Resuming {folder} at epoch {trainer.Position.Epoch}, batch {trainer.Position.NextBatch + 1}.");
        }
        folder.SaveConfiguration(configuration);
        progress?.Begin(RunName.Of(configuration), configuration.Epochs, trainer.History);
        // The history is saved after each epoch's checkpoint; an interrupted epoch adds nothing to it.
        var history = trainer.Fit(train.Images, test.Images, cancellation);
        folder.SaveHistory(history);
        return history;
    }

    /// <summary>
    /// Loads the finished run of this configuration if its folder holds one of
    /// the same experiment (<see cref="ExperimentConfiguration.IsSameExperimentAs"/>);
    /// otherwise trains it (and saves it).
    /// Lets later notebooks reuse what earlier ones trained.
    /// </summary>
    /// <remarks>
    /// A finished run is used only when its files match its completion
    /// marker and the data found now is the data it was trained on; an
    /// unfinished run of the same experiment is resumed; any other unfinished
    /// run is refused rather than overwritten.
    /// </remarks>
    public static ExperimentResult LoadOrRun(ExperimentConfiguration configuration, TrainingProgress? progress = null, TextWriter? log = null,
        CancellationToken cancellation = default)
    {
        ConfigurationFactory.Require(configuration);
        var folder = RunFolder.For(configuration);
        if (!folder.HasRun) return Train(configuration, folder, resume: false, progress, log, cancellation);
        if (folder.IsComplete) folder.VerifyComplete();
        var same = File.Exists(folder.ConfigurationFile) && folder.LoadConfiguration().IsSameExperimentAs(configuration);
        if (!folder.IsComplete)
        {
            if (!same || !File.Exists(folder.CheckpointFile)) folder.VerifyComplete(); // refuses, saying what the folder holds
            log?.WriteLine($"Resuming the unfinished run in {folder}");
            return Train(configuration, folder, resume: true, progress, log, cancellation);
        }
        if (!same) return Train(configuration, folder, resume: false, progress, log, cancellation);
        Prepare(configuration);
        var directory = DataLocator.Resolve(configuration.DataDirectory, log: log);
        folder.RequireSameData(DataFingerprint.Of(directory));
        log?.WriteLine($"Loading the finished run from {folder}");
        var (train, test) = LoadData(configuration, directory);
        try
        {
            return new ExperimentResult(configuration, folder.LoadModel(configuration), folder.LoadHistory(), train, test, folder);
        }
        catch
        {
            train.Dispose();
            test.Dispose();
            throw;
        }
    }

    private static FinalMetrics Metrics(ExperimentConfiguration configuration, RestorationModel model, TrainingHistory history,
        ImageDataset train, ImageDataset test)
    {
        var last = history.Last!;
        var score = Score(configuration, model, test.Images);
        return new FinalMetrics(configuration.Model, model.parameters().Sum(p => p.numel()), last.Epoch, train.Count, test.Count,
            last.TrainLoss, last.ValidationLoss, last.ValidationMse, score.Psnr, score.Ssim, history.Epochs.Average(e => e.Seconds));
    }

    /// <summary>
    /// Scores a model on the test images degraded as its training validated
    /// them (<see cref="ValidationInputs.Of(ExperimentConfiguration, Tensor)"/>).
    /// </summary>
    public static RestorationScore Score(ExperimentConfiguration configuration, RestorationModel model, Tensor testImages)
    {
        using var inputs = ValidationInputs.Of(configuration, testImages);
        model.eval();
        return Scorer.Score(model.forward, inputs, testImages);
    }

    /// <summary>
    /// Loads libtorch and sets the configured thread count, refusing more
    /// threads than processors: once per experiment or evaluation, before any tensor.
    /// </summary>
    public static void Prepare(ExperimentConfiguration configuration)
    {
        if (configuration.Threads != 0 && !TorchRuntime.IsUsableThreadCount(configuration.Threads))
            throw new ConfigurationException(
                $"threads = {configuration.Threads}: must be between 1 and {Environment.ProcessorCount} (this machine's processors), or 0 for libtorch's default.");
        TorchRuntime.Initialize();
        if (configuration.Threads > 0) set_num_threads(configuration.Threads);
    }

    private static RestorationModel SeededModel(ExperimentConfiguration configuration)
    {
        manual_seed(configuration.Seed);
        return ModelCatalog.Create(configuration.Model);
    }
}
