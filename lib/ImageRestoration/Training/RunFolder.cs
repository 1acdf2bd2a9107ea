using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ImageRestoration.Configuration;
using ImageRestoration.Data;
using ImageRestoration.Models;

namespace ImageRestoration.Training;

/// <summary>
/// Everything one experiment leaves behind, in one folder that the command
/// line and the notebooks both read and write: the resolved configuration,
/// the history (JSON and CSV), the trained model and the TensorBoard events.
/// Every file is written to a temporary name and renamed, so a crash never
/// leaves half a file. A run is finished only when its completion marker
/// (<c>complete.json</c>, written last) names its files with their SHA-256,
/// and they still match: anything else is an unfinished run.
/// </summary>
public sealed class RunFolder(string path)
{
    public string Path { get; } = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));

    public string ConfigurationFile => File("configuration.json");
    public string HistoryJsonFile => File("history.json");
    public string HistoryCsvFile => File("history.csv");
    public string ModelFile => File("model.bin");
    public string CheckpointFile => File("checkpoint.bin");
    public string MetricsFile => File("metrics.json");
    public string DataFile => File("data.json");
    public string CompletionFile => File("complete.json");

    /// <summary>The files a finished run is made of, which its completion marker names.</summary>
    private static readonly string[] RunFiles =
        ["configuration.json", "data.json", "checkpoint.bin", "history.json", "history.csv", "model.bin", "metrics.json"];

    /// <summary>TensorBoard reads event files from the run folder itself: <c>tensorboard --logdir LOGDIRECTORY</c>.</summary>
    public string TensorBoardDirectory => Path;

    /// <summary>The folder of a configuration's run: its log directory, then its run name.</summary>
    public static RunFolder For(ExperimentConfiguration configuration) =>
        new(System.IO.Path.Combine(configuration.LogDirectory, RunName.Of(configuration)));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>True when the folder holds a completion marker: a finished run, if <see cref="VerifyComplete"/> agrees.</summary>
    public bool IsComplete => System.IO.File.Exists(CompletionFile);

    /// <summary>True when the folder holds anything a run wrote, which a new run would overwrite.</summary>
    public bool HasRun => System.IO.File.Exists(CheckpointFile) || System.IO.File.Exists(ModelFile) || IsComplete;

    /// <summary>
    /// Makes the folder ready for a run, once the data has been checked. A new run
    /// (<paramref name="fresh"/>) starts in an empty folder: an earlier run is
    /// moved aside whole (never mixed with the new one, never lost), a folder
    /// with nothing trained in it is cleared. A resumed run stays finished
    /// until its training really starts again (<see cref="Unseal"/>).
    /// Temporary files a killed process left are removed, and a probe file
    /// proves the folder can be written.
    /// </summary>
    public void PrepareForTraining(bool fresh, TextWriter? log = null)
    {
        try
        {
            if (fresh && Directory.Exists(Path))
            {
                if (HasRun)
                {
                    var aside = AsideName();
                    Directory.Move(Path, aside);
                    log?.WriteLine($"Moved the earlier run in {this} aside to {DisplayPath.Of(aside)}.");
                }
                else Directory.Delete(Path, recursive: true);
            }
            Directory.CreateDirectory(Path);
            foreach (var temporary in Directory.EnumerateFiles(Path, "*.tmp")) System.IO.File.Delete(temporary);
            var probe = File(".write-probe.tmp");
            System.IO.File.WriteAllText(probe, "probe");
            System.IO.File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The run folder {Path} cannot be written: {e.Message} Choose another logDirectory.", e);
        }
    }

    /// <summary>A resumed run stops being finished: called once its checkpoint loaded and training is about to start.</summary>
    public void Unseal() => System.IO.File.Delete(CompletionFile);

    /// <summary>
    /// Refuses a configuration that is not this folder's run: a run folder is
    /// named by its configuration (<see cref="RunName"/>), so an
    /// edited configuration.json, or one copied in from another run, names
    /// another run. A resumed run may have been given more epochs than its
    /// name was made with, so any epoch count up to the configured one
    /// matches; a run moved aside (NAME.replaced-STAMP) keeps its name.
    /// </summary>
    public void RequireIdentity(ExperimentConfiguration configuration)
    {
        var name = System.IO.Path.GetFileName(Path);
        var aside = name.IndexOf(".replaced-", StringComparison.Ordinal);
        if (aside > 0) name = name[..aside];
        if (RunName.Names(name, configuration)) return;
        throw new InvalidDataException(
            $"{DisplayPath.Of(ConfigurationFile)} does not belong to {this}: its settings make the run {RunName.Of(configuration)}, not {name} " +
            "(the file was edited or copied from another run). Put the run's own configuration back, or train a new run.");
    }

    private string AsideName()
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var aside = $"{Path}.replaced-{stamp}";
        for (var n = 2; Directory.Exists(aside) || System.IO.File.Exists(aside); n++) aside = $"{Path}.replaced-{stamp}-{n}";
        return aside;
    }

    /// <summary>Records the data a run trains on, so a resume can tell whether it finds the same.</summary>
    internal void SaveData(DataFingerprint data) => AtomicFile.WriteAllText(DataFile, data.ToJson());

    /// <summary>The data this run was trained on, as recorded when it started.</summary>
    internal DataFingerprint LoadData()
    {
        if (!System.IO.File.Exists(DataFile))
            throw new InvalidDataException($"{Path} does not record which data it was trained on ({DataFile} is missing): it was made by an earlier version. " +
                                           "Train it again (train --force, or remove the folder).");
        return DataFingerprint.FromJson(BoundedFile.ReadAllText(DataFile, 1 << 20, "a data fingerprint"), DataFile);
    }

    /// <summary>Refuses <paramref name="current"/> unless it holds the same content as the data this run was trained on; returns that data's record.</summary>
    internal DataFingerprint RequireSameData(DataFingerprint current)
    {
        var saved = LoadData();
        if (!saved.SameContentAs(current))
            throw new InvalidDataException(
                $"{this} was trained on the data in {DisplayPath.Of(saved.Directory)}, but the data found now, in {DisplayPath.Of(current.Directory)}, has other content " +
                $"({string.Join(", ", saved.ContentSha256.Keys.Where(k => !current.ContentSha256.TryGetValue(k, out var h) || h != saved.ContentSha256[k]))} differ). " +
                "Point the data directory back at the run's data, or train a new run.");
        return saved;
    }

    /// <summary>Writes the completion marker, last, once every file of the finished run is in place.</summary>
    public void MarkComplete()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in RunFiles) files[name] = Sha256(File(name));
        AtomicFile.WriteAllText(CompletionFile, Marker(files));
    }

    /// <summary>
    /// Refuses, naming the file, a folder that is not a whole finished run:
    /// no marker, a damaged marker, or a file missing or changed since the
    /// marker was written (one flipped bit is enough).
    /// </summary>
    public void VerifyComplete()
    {
        if (!IsComplete)
            throw new InvalidDataException(
                $"{Path} holds no finished run: it has no completion marker ({System.IO.Path.GetFileName(CompletionFile)}). " +
                (System.IO.File.Exists(CheckpointFile)
                    ? $"It is unfinished: continue it with train --resume {Path}, or start over with --force."
                    : "Train it (again) with train --force."));
        var text = BoundedFile.ReadAllText(CompletionFile, 1 << 20, "a completion marker");
        SortedDictionary<string, string>? files = null;
        try
        {
            files = JsonSerializer.Deserialize<MarkerContent>(text)?.Files;
        }
        catch (JsonException)
        {
        }
        // Only the exact bytes this program writes are a valid marker: any change to it is damage.
        if (files is null || Marker(files) != text || !files.Keys.SequenceEqual(RunFiles.Order(StringComparer.Ordinal)))
            throw new InvalidDataException($"{CompletionFile} is damaged: it is not a completion marker this program wrote.");
        foreach (var (name, expected) in files)
        {
            var path = File(name);
            if (!System.IO.File.Exists(path))
                throw new InvalidDataException($"{path} is missing from the finished run in {Path}.");
            if (Sha256(path) != expected)
                throw new InvalidDataException(
                    $"{path} was changed or damaged: its SHA-256 does not match the one recorded when the run finished ({CompletionFile}).");
        }
    }

    private sealed record MarkerContent(SortedDictionary<string, string> Files);

    private static string Marker(SortedDictionary<string, string> files) => JsonSerializer.Serialize(new MarkerContent(files));

    private static string Sha256(string path)
    {
        using var file = System.IO.File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    internal void SaveMetrics(FinalMetrics metrics)
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

    /// <summary>The history, checked field by field (<see cref="TrainingHistory.FromJson"/>); a file over the size limit is refused unread.</summary>
    public TrainingHistory LoadHistory()
    {
        if (!System.IO.File.Exists(HistoryJsonFile)) throw new FileNotFoundException($"No history in {HistoryJsonFile}.", HistoryJsonFile);
        try
        {
            return TrainingHistory.FromJson(BoundedFile.ReadAllText(HistoryJsonFile, TrainingHistory.MaxJsonBytes, "a training history"));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{HistoryJsonFile}: not a training history: {JsonFailure.Describe(e)}.", e);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(HistoryJsonFile, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{HistoryJsonFile}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The history of a finished run once its sealed files verify, and of
    /// any run (even one still training) once its configuration names this
    /// folder; refused if it holds no epoch yet.
    /// </summary>
    public TrainingHistory LoadVerifiedHistory()
    {
        if (IsComplete) VerifyComplete();
        if (System.IO.File.Exists(ConfigurationFile)) RequireIdentity(LoadConfiguration());
        var history = LoadHistory();
        if (history.Epochs.Count == 0) throw new InvalidDataException($"{HistoryJsonFile} holds no finished epoch yet.");
        return history;
    }

    public void SaveModel(RestorationModel model)
    {
        Directory.CreateDirectory(Path);
        model.Save(ModelFile);
    }

    /// <summary>The trained model of a finished run, of the kind its configuration (already read) names, once every file checks out.</summary>
    public RestorationModel LoadModel(ExperimentConfiguration configuration)
    {
        VerifyComplete();
        return RestorationModel.Load(ModelFile, configuration.Model);
    }

    /// <summary>The folder as output shows it: relative to the repository or under ~ (<see cref="DisplayPath"/>).</summary>
    public override string ToString() => DisplayPath.Of(Path);
}

/// <summary>
/// A run's name: readable (model, mode, degradation, seed) and a hash of
/// every setting that changes results, as in <c>clean-seed42-1a2b3c4d</c>.
/// Rerunning one configuration finds its own folder again, and a run with any
/// such setting changed (epochs, learning rate, batch size...) gets a folder
/// of its own instead of overwriting another.
/// </summary>
public static class RunName
{
    public static string Of(ExperimentConfiguration configuration) =>
        (configuration.Model == ModelCatalog.Presentation ? "" : configuration.Model.ToLowerInvariant() + "-") +
        (configuration.Mode == TrainingMode.Clean ? "clean" : "denoising-" + configuration.Degradation.Create().Name) +
        $"-seed{configuration.Seed}-{Fingerprint(configuration)}";

    /// <summary>
    /// What every checkpoint of one run carries to name it: the run name with
    /// the epoch count left out, since a resumed run may be given more epochs.
    /// </summary>
    public static string Identity(ExperimentConfiguration configuration) => Of(configuration with { Epochs = 1 });

    /// <summary>
    /// True when <paramref name="name"/> is the run of <paramref name="configuration"/>
    /// trained for its epochs or fewer: a resumed run may have been given more
    /// epochs than its name was made with.
    /// </summary>
    public static bool Names(string name, ExperimentConfiguration configuration)
    {
        for (var epochs = configuration.Epochs; epochs >= 1; epochs--)
            if (Of(configuration with { Epochs = epochs }) == name) return true;
        return false;
    }

    /// <summary>
    /// Eight hex digits of a SHA-256 over the JSON of every key that changes
    /// results (<see cref="ExperimentConfiguration.IsSameExperimentAs"/>), and over
    /// the layers of a model registered from a notebook (<see cref="ModelCatalog.Fingerprint"/>).
    /// </summary>
    private static string Fingerprint(ExperimentConfiguration configuration)
    {
        // Hashed as written before the renames, so existing folders, checkpoints and recorded runs keep their names.
        var text = FormerNames.AsFormerlyWritten(configuration.Essence().ToJson(), configuration.Model) + ModelCatalog.Fingerprint(configuration.Model);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
    }
}

/// <summary>
/// One writer per run folder: a lock on a file beside the folder
/// (<c>NAME.lock</c>, outside it, so moving a run aside never moves its lock).
/// The operating system holds the lock for the process (a byte-range lock:
/// fcntl on Linux, LockFileEx on Windows; on macOS, where .NET offers no
/// byte-range lock, flock on the whole file) and drops it when the process
/// dies, so a killed training never leaves a stale lock behind. The file's
/// first bytes name the holder's process id, for the refusal message.
/// </summary>
internal sealed class RunLock : IDisposable
{
    // The locked byte lies past the process id, so a refused process can still read the id.
    private const long LockedByte = 4096;

    private readonly FileStream file;

    private RunLock(FileStream file) => this.file = file;

    /// <summary>Takes the lock of <paramref name="folder"/>, or refuses (IOException, exit 2) naming the process that holds it.</summary>
    public static RunLock Acquire(RunFolder folder)
    {
        var path = folder.Path + ".lock";
        FileStream file;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite,
                OperatingSystem.IsMacOS() ? FileShare.None : FileShare.ReadWrite | FileShare.Delete);
        }
        catch (IOException) when (OperatingSystem.IsMacOS() && File.Exists(path))
        {
            throw Busy(folder, "another process");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The run folder {folder} cannot be locked ({path}): {e.Message} Choose another logDirectory.", e);
        }
        try
        {
            if (!OperatingSystem.IsMacOS()) file.Lock(LockedByte, 1);
        }
        catch (IOException)
        {
            var holder = Holder(file);
            file.Dispose();
            throw Busy(folder, holder);
        }
        file.SetLength(0);
        file.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
        file.Flush(flushToDisk: false);
        return new RunLock(file);
    }

    private static IOException Busy(RunFolder folder, string holder) =>
        new($"{folder} is in use by {holder}, which is training into it; wait for it to finish or stop it " +
            "(Ctrl+C keeps a checkpoint), then try again.");

    private static string Holder(FileStream file)
    {
        var buffer = new byte[32];
        file.Position = 0;
        var text = System.Text.Encoding.ASCII.GetString(buffer, 0, file.Read(buffer)).Trim();
        return int.TryParse(text, out var id) ? $"process {id}" : "another process";
    }

    public void Dispose() => file.Dispose();
}
