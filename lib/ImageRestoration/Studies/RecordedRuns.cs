using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ImageRestoration.Configuration;
using ImageRestoration.Data;
using ImageRestoration.Training;

namespace ImageRestoration.Studies;

/// <summary>One finished run kept as data: its configuration (whose hash ends its name) and its history, epoch by epoch.</summary>
public sealed record RecordedRun(string Name, ExperimentConfiguration Configuration, TrainingHistory History);

/// <summary>Where and how recorded runs were made: the commands, the machine, the date they finished.</summary>
public sealed record RecordingProvenance(string Description, IReadOnlyList<string> Commands, string Machine, string Date,
    IReadOnlyDictionary<string, string> DataSha256);

/// <summary>
/// Long trainings kept in the repository as data, so that a short run (the
/// class profile's 15 epochs) can be shown beside what the presentation's
/// 100 epochs do: per run a folder named as its run folder
/// (<c>clean-seed42-HASH</c>) holding its <c>configuration.json</c> and
/// <c>history.json</c>, and <c>recording.json</c> beside them with the
/// commands, the machine and the date. Nothing of the machine's folders is
/// kept (the log and data directories are reset). <see cref="Load"/> refuses a
/// folder whose configuration no longer hashes to its name or whose history
/// is not as long as its configuration says.
/// </summary>
public sealed class RecordedRuns
{
    public const string ProvenanceFile = "recording.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file people read: ' as it is
    };

    private RecordedRuns(string directory, RecordingProvenance provenance, IReadOnlyList<RecordedRun> runs)
    {
        Directory = directory;
        Provenance = provenance;
        Runs = runs;
    }

    /// <summary>The folder the runs were read from.</summary>
    public string Directory { get; }

    public RecordingProvenance Provenance { get; }

    public IReadOnlyList<RecordedRun> Runs { get; }

    /// <summary>The recorded run trained in <paramref name="mode"/> (the first, if several).</summary>
    public RecordedRun Of(TrainingMode mode) =>
        Runs.FirstOrDefault(r => r.Configuration.Mode == mode)
        ?? throw new InvalidDataException($"{DisplayPath.Of(Directory)} holds no recorded {mode.ToString().ToLowerInvariant()} run.");

    /// <summary>The recording of the presentation's 100 epochs committed with the repository: <c>data/recorded/presentation-100-epochs</c>.</summary>
    public static string PresentationDirectory =>
        Path.Combine(RepositoryRoot.Find() ?? Environment.CurrentDirectory, "data", "recorded", "presentation-100-epochs");

    /// <summary>Reads and checks every recorded run in <paramref name="directory"/>.</summary>
    public static RecordedRuns Load(string directory)
    {
        var provenanceFile = Path.Combine(directory, ProvenanceFile);
        if (!File.Exists(provenanceFile))
            throw new InvalidDataException($"{DisplayPath.Of(directory)} holds no recorded runs ({ProvenanceFile} is missing).");
        var provenance = JsonSerializer.Deserialize<RecordingProvenance>(File.ReadAllText(provenanceFile), JsonOptions)
                         ?? throw new InvalidDataException($"{DisplayPath.Of(provenanceFile)} is empty.");
        var runs = System.IO.Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal).Select(LoadRun).ToList();
        if (runs.Count == 0) throw new InvalidDataException($"{DisplayPath.Of(directory)} holds no recorded run folder.");
        return new RecordedRuns(directory, provenance, runs);
    }

    /// <summary>
    /// Copies the finished runs into <paramref name="directory"/> as recorded
    /// data (replacing what it held), with the commands that made them, the
    /// machine and the date the last one finished.
    /// </summary>
    public static RecordedRuns Record(IReadOnlyList<RunFolder> folders, string directory, string description, string machine)
    {
        if (folders.Count == 0) throw new ArgumentException("Record at least one run folder.", nameof(folders));
        var runs = new List<(RecordedRun Run, DataFingerprint Data)>();
        foreach (var folder in folders)
        {
            folder.VerifyComplete();
            var configuration = folder.LoadConfiguration();
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder.Path));
            if (name != RunName.Of(configuration))
                throw new InvalidDataException($"{folder} is named {name}, but its configuration makes {RunName.Of(configuration)}.");
            // The data folder is part of the hash, and a machine's folder: record runs that found their data through IMAGE_RESTORATION_DATA.
            if (configuration.DataDirectory is not null)
                throw new ConfigurationException($"{folder} names its data folder in its configuration (dataDirectory); " +
                                                 $"record runs trained with {DataLocator.EnvironmentVariable} instead.");
            runs.Add((new RecordedRun(name, configuration with { LogDirectory = "runs" }, folder.LoadHistory()),
                DataFingerprint.FromJson(File.ReadAllText(folder.DataFile), folder.DataFile)));
        }
        var finished = folders.Max(f => File.GetLastWriteTimeUtc(f.CompletionFile));
        var provenance = new RecordingProvenance(description, runs.Select(r => Command(r.Run.Configuration)).ToList(), machine,
            finished.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), runs[0].Data.ContentSha256);
        if (System.IO.Directory.Exists(directory)) System.IO.Directory.Delete(directory, recursive: true);
        foreach (var (run, _) in runs)
        {
            var target = Path.Combine(directory, run.Name);
            System.IO.Directory.CreateDirectory(target);
            run.Configuration.Save(Path.Combine(target, "configuration.json"));
            AtomicFile.WriteAllText(Path.Combine(target, "history.json"), run.History.ToJson());
        }
        AtomicFile.WriteAllText(Path.Combine(directory, ProvenanceFile), JsonSerializer.Serialize(provenance, JsonOptions));
        return Load(directory);
    }

    /// <summary>The command line that trains this configuration: <c>train</c> with every key that differs from the defaults.</summary>
    public static string Command(ExperimentConfiguration configuration)
    {
        var defaults = new ExperimentConfiguration().Keys().ToDictionary(k => k.Name, k => k.Value);
        var changed = configuration.Keys().Where(k => k.Name is not ("logDirectory" or "dataDirectory") && defaults.GetValueOrDefault(k.Name) != k.Value);
        return string.Join(" ", ["image-restoration train", .. changed.Select(k => $"--set {k.Name}={k.Value}")]);
    }

    /// <summary>The CPU this process runs on, as <c>/proc/cpuinfo</c> names it (model name, family, model, AVX-512 or not), and its core count.</summary>
    public static string ThisMachine()
    {
        var info = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        string Field(string key) => info.FirstOrDefault(l => l.Split(':')[0].Trim() == key)?.Split(':', 2)[1].Trim() ?? "unknown";
        var avx512 = Field("flags").Split(' ').Contains("avx512f") ? "AVX-512" : "no AVX-512";
        return $"{Field("model name")}, family {Field("cpu family")} model {Field("model")}, {avx512}, {Environment.ProcessorCount} cores";
    }

    private static RecordedRun LoadRun(string folder)
    {
        var name = Path.GetFileName(folder);
        var configuration = ExperimentConfiguration.Load(Path.Combine(folder, "configuration.json"));
        if (RunName.Of(configuration) != name)
            throw new InvalidDataException($"{DisplayPath.Of(folder)}: its configuration hashes to {RunName.Of(configuration)}, not to its name; " +
                                           "the recorded files were changed after they were recorded.");
        var historyFile = Path.Combine(folder, "history.json");
        if (!File.Exists(historyFile)) throw new InvalidDataException($"{DisplayPath.Of(folder)}: history.json is missing.");
        var history = TrainingHistory.FromJson(File.ReadAllText(historyFile));
        if (history.Epochs.Count != configuration.Epochs || history.Epochs.Select((e, i) => e.Epoch != i + 1).Any(wrong => wrong))
            throw new InvalidDataException($"{DisplayPath.Of(historyFile)} holds {history.Epochs.Count} epochs, not the {configuration.Epochs} of its configuration, one per epoch.");
        return new RecordedRun(name, configuration, history);
    }
}
