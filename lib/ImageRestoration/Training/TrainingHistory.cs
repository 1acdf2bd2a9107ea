using System.Globalization;
using System.Text;
using System.Text.Json;

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
