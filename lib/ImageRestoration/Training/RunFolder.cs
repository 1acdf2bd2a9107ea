using ImageRestoration.Configuration;
using ImageRestoration.Models;

namespace ImageRestoration.Training;

/// <summary>
/// Everything one experiment leaves behind, in one folder that the command
/// line and the notebooks both read and write: the resolved configuration,
/// the history (JSON and CSV), the trained model and the TensorBoard events.
/// Every file is written to a temporary name and renamed, so a crash never
/// leaves half a file.
/// </summary>
public sealed class RunFolder(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string ConfigurationFile => File("configuration.json");
    public string HistoryJsonFile => File("history.json");
    public string HistoryCsvFile => File("history.csv");
    public string ModelFile => File("model.bin");
    public string CheckpointFile => File("checkpoint.bin");
    public string MetricsFile => File("metrics.json");

    /// <summary>TensorBoard reads event files from the run folder itself: <c>tensorboard --logdir LOGDIRECTORY</c>.</summary>
    public string TensorBoardDirectory => Path;

    /// <summary>The folder of a configuration's run: its log directory, then its run name.</summary>
    public static RunFolder For(ExperimentConfiguration configuration) =>
        new(System.IO.Path.Combine(configuration.LogDirectory, Experiment.RunName(configuration)));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>True when a finished model, its history and its configuration are all there.</summary>
    public bool HasTrainedModel =>
        System.IO.File.Exists(ModelFile) && System.IO.File.Exists(HistoryJsonFile) && System.IO.File.Exists(ConfigurationFile);

    /// <summary>True when the folder holds anything a run wrote, which a new run would overwrite.</summary>
    public bool HasRun => System.IO.File.Exists(CheckpointFile) || System.IO.File.Exists(ModelFile);

    public void SaveMetrics(FinalMetrics metrics)
    {
        Directory.CreateDirectory(Path);
        AtomicFile.WriteAllText(MetricsFile, metrics.ToJson());
    }

    public void SaveConfiguration(ExperimentConfiguration configuration)
    {
        Directory.CreateDirectory(Path);
        configuration.Save(ConfigurationFile);
    }

    public ExperimentConfiguration LoadConfiguration() => ExperimentConfiguration.Load(ConfigurationFile);

    public void SaveHistory(TrainingHistory history)
    {
        Directory.CreateDirectory(Path);
        AtomicFile.WriteAllText(HistoryJsonFile, history.ToJson());
        AtomicFile.WriteAllText(HistoryCsvFile, history.ToCsv());
    }

    public TrainingHistory LoadHistory()
    {
        if (!System.IO.File.Exists(HistoryJsonFile)) throw new FileNotFoundException($"No history in {HistoryJsonFile}.", HistoryJsonFile);
        try
        {
            return TrainingHistory.FromJson(System.IO.File.ReadAllText(HistoryJsonFile));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{HistoryJsonFile}: not a training history ({e.Message}).", e);
        }
    }

    public void SaveModel(RestorationModel model)
    {
        Directory.CreateDirectory(Path);
        model.Save(ModelFile);
    }

    /// <summary>The trained model, of the kind its saved configuration names.</summary>
    public RestorationModel LoadModel() => RestorationModel.Load(ModelFile, LoadConfiguration().Model);

    public override string ToString() => Path;
}
