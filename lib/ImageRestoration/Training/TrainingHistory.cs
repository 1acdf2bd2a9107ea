using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text;

namespace ImageRestoration.Training;

/// <summary>One epoch's figures: mean binary cross-entropy and mean squared error on the training and validation images.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double ValidationLoss, double TrainMse, double ValidationMse, double Seconds);

/// <summary>The loss curves of one training run, as Keras's History: one record per epoch.</summary>
public sealed class TrainingHistory
{
    public List<EpochRecord> Epochs { get; init; } = [];

    public IReadOnlyList<double> TrainLoss => Epochs.Select(e => e.TrainLoss).ToList();
    public IReadOnlyList<double> ValidationLoss => Epochs.Select(e => e.ValidationLoss).ToList();
    public EpochRecord? Last => Epochs.Count > 0 ? Epochs[^1] : null;

    /// <summary>The largest history file read: about 200 bytes an epoch, so some 80,000 epochs.</summary>
    public const int MaxJsonBytes = 16 << 20;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>
    /// Parses a history and checks it field by field: an object with an
    /// epochs list (no unknown keys), epochs numbered 1, 2, 3... and every
    /// figure finite and not negative. Anything else is refused, naming the
    /// first bad field, so no reader meets a half-formed history.
    /// </summary>
    public static TrainingHistory FromJson(string json)
    {
        var history = JsonSerializer.Deserialize<TrainingHistory>(json, JsonOptions) ?? throw new InvalidDataException("the history is null, not an object.");
        if (history.Epochs is null) throw new InvalidDataException("'epochs' is null, not a list of epochs.");
        for (var i = 0; i < history.Epochs.Count; i++)
        {
            var e = history.Epochs[i] ?? throw new InvalidDataException($"epochs[{i}] is null, not an epoch.");
            if (e.Epoch != i + 1) throw new InvalidDataException($"epochs[{i}].epoch is {e.Epoch}, not {i + 1}: the epochs must be numbered 1, 2, 3...");
            double[] figures = [e.TrainLoss, e.ValidationLoss, e.TrainMse, e.ValidationMse, e.Seconds];
            if (figures.Any(v => !double.IsFinite(v) || v < 0))
                throw new InvalidDataException($"epochs[{i}] holds {string.Join(", ", figures)}: every loss and time must be finite and not negative.");
        }
        return history;
    }

    public string ToCsv()
    {
        var csv = new StringBuilder("epoch,train_loss,val_loss,train_mse,val_mse,seconds\n");
        foreach (var e in Epochs)
            csv.AppendLine(string.Join(",", new object[] { e.Epoch, e.TrainLoss, e.ValidationLoss, e.TrainMse, e.ValidationMse, e.Seconds }
                .Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
        return csv.ToString();
    }
}

/// <summary>
/// The figures a finished run reports, as written to its run folder's
/// metrics.json: the last epoch's losses, and PSNR (dB) and SSIM averaged per
/// image over the validation inputs (the test images, degraded as in training).
/// </summary>
internal sealed record FinalMetrics(
    string Model,
    long Parameters,
    int Epochs,
    int TrainImages,
    int ValidationImages,
    double TrainLoss,
    double ValidationLoss,
    double ValidationMse,
    double ValidationPsnr,
    double ValidationSsim,
    double MeanEpochSeconds)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static FinalMetrics FromJson(string json) =>
        JsonSerializer.Deserialize<FinalMetrics>(json, JsonOptions) ?? throw new InvalidDataException("metrics JSON is null");
}

/// <summary>
/// Keras-style progress: verbosity 1 keeps one live line per epoch (a bar
/// redrawn in place on a terminal; only the finished line when the output is
/// a file or a notebook), verbosity 2 prints one line per finished epoch.
/// Other views of the same progress (a notebook's live chart) override
/// <see cref="Batch"/> and <see cref="Epoch"/>.
/// </summary>
public class TrainingProgress(TextWriter? output, int verbosity, int epochs, bool live)
{
    private readonly Stopwatch sinceRedraw = Stopwatch.StartNew();

    /// <summary>For the console: live redraws only when standard output is a terminal.</summary>
    public static TrainingProgress ForConsole(int verbosity, int epochs) =>
        new(Console.Out, verbosity, epochs, live: !Console.IsOutputRedirected);

    /// <summary>
    /// A run starts training (or resumes, with the epochs it already has):
    /// its name and its number of epochs. One progress can serve several runs
    /// in turn (a study's trainings); each begins with this call.
    /// </summary>
    public virtual void Begin(string run, int runEpochs, TrainingHistory history) => epochs = runEpochs;

    public virtual void Batch(int epoch, int batch, int batches, double meanLoss, double images, TimeSpan elapsed)
    {
        if (output is null || verbosity != 1 || !live || (sinceRedraw.ElapsedMilliseconds < 200 && batch < batches)) return;
        sinceRedraw.Restart();
        const int width = 30;
        var filled = (int)Math.Round(width * (double)batch / batches);
        output.Write($"\rEpoch {epoch}/{epochs} {batch,5}/{batches} [{new string('=', filled)}{new string('.', width - filled)}] " +
                     $"{elapsed.TotalSeconds,5:F0}s - {images / Math.Max(elapsed.TotalSeconds, 1e-9):F0} img/s - loss: {Format(meanLoss)}");
        output.Flush();
    }

    public virtual void Epoch(EpochRecord record, int batches, int images)
    {
        if (output is null || verbosity == 0) return;
        var line = $"Epoch {record.Epoch}/{epochs} {batches} batches - {record.Seconds:F1}s " +
                   $"{images / Math.Max(record.Seconds, 1e-9):F0} img/s - loss: {Format(record.TrainLoss)} - " +
                   $"val_loss: {Format(record.ValidationLoss)} - mse: {Format(record.TrainMse)} - val_mse: {Format(record.ValidationMse)}";
        output.WriteLine(live && verbosity == 1 ? "\r" + line + "    " : line);
        output.Flush();
    }

    private static string Format(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
