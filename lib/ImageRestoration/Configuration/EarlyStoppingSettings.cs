using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageRestoration.Configuration;

/// <summary>
/// Keras's EarlyStopping on the validation loss: stop when it has not improved
/// by at least <see cref="MinDelta"/> for <see cref="Patience"/> epochs in a
/// row. Off by default (patience 0), so the presentation's 100 epochs run in full.
/// </summary>
public sealed record EarlyStoppingSettings : IJsonOnDeserialized
{
    [Description("Stop after this many epochs without a validation-loss improvement (Keras's patience); 0 never stops early.")]
    public int Patience { get; init; }

    [Description("The smallest fall in validation loss that counts as an improvement (Keras's min_delta).")]
    public double MinDelta { get; init; }

    /// <summary>
    /// On when <see cref="Patience"/> is positive. Written into configuration
    /// files for their readers; read back only to refuse a value that
    /// contradicts the patience (<c>"enabled": true</c> with patience 0 would
    /// otherwise be ignored without a word).
    /// </summary>
    [JsonInclude]
    public bool Enabled
    {
        get => Patience > 0;
        private set => enabledAsRead = value;
    }

    private bool? enabledAsRead;

    void IJsonOnDeserialized.OnDeserialized()
    {
        var read = enabledAsRead;
        enabledAsRead = null;
        if (read is { } enabled && enabled != Enabled)
            throw new JsonException($"'enabled' is not a setting: early stopping is on exactly when earlyStopping.patience > 0, and patience is {Patience}. " +
                                    "Set earlyStopping.patience instead.");
    }

    /// <summary>
    /// True when the last <see cref="Patience"/> epochs of <paramref name="validationLosses"/>
    /// all failed to beat the best loss before them by <see cref="MinDelta"/>.
    /// Computed from the history alone, so a resumed run stops where an unbroken one would.
    /// </summary>
    public bool ShouldStop(IReadOnlyList<double> validationLosses)
    {
        if (!Enabled) return false;
        var best = double.PositiveInfinity;
        var sinceImprovement = 0;
        foreach (var loss in validationLosses)
        {
            if (loss < best - MinDelta)
            {
                best = loss;
                sinceImprovement = 0;
            }
            else
            {
                sinceImprovement++;
            }
        }
        return sinceImprovement >= Patience;
    }

    internal void Validate(Action<bool, string, object?, string> check)
    {
        check(Patience >= 0, "earlyStopping.patience", Patience, "must be 0 (off) or a positive number of epochs");
        check(double.IsFinite(MinDelta) && MinDelta >= 0, "earlyStopping.minDelta", MinDelta, "must be 0 or positive");
    }
}
