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

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static TrainingHistory FromJson(string json) =>
        JsonSerializer.Deserialize<TrainingHistory>(json, JsonOptions) ?? throw new InvalidDataException("The history JSON is null.");

    public string ToCsv()
    {
        var csv = new StringBuilder("epoch,train_loss,val_loss,train_mse,val_mse,seconds\n");
        foreach (var e in Epochs)
            csv.AppendLine(string.Join(",", new object[] { e.Epoch, e.TrainLoss, e.ValidationLoss, e.TrainMse, e.ValidationMse, e.Seconds }
                .Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
        return csv.ToString();
    }
}
