using System.Globalization;
using System.Text;
using ImageRestoration.Metrics;
using ImageRestoration.Training;

namespace ImageRestoration.Studies;

/// <summary>One epoch of an <see cref="EpochsAnalysis"/>.</summary>
/// <param name="ValidationPsnr">The PSNR (dB) of the epoch's mean validation MSE (not a mean of per-picture PSNRs).</param>
/// <param name="GainOverNextWindow">How much the validation loss falls over the next window of epochs, as a fraction of this epoch's; null near the end.</param>
public sealed record EpochAnalysisRow(int Epoch, double TrainLoss, double ValidationLoss, double ValidationPsnr, double? GainOverNextWindow, bool Spike);

/// <summary>An epoch whose validation loss rose over the one before it.</summary>
/// <param name="Rise">Validation loss minus the previous epoch's.</param>
/// <param name="TrainChange">Training loss minus the previous epoch's: negative when training still improved.</param>
/// <param name="RecoveredAt">The first later epoch whose validation loss is below the one before the spike; null if none.</param>
public sealed record ValidationSpike(int Epoch, double Rise, double TrainChange, int? RecoveredAt);

/// <summary>
/// The presentation's "epochs increasing needs to be evaluated case by case",
/// read off one run's history: validation loss and PSNR per epoch, the epoch
/// after which the next <see cref="Window"/> epochs gain less than
/// <see cref="Threshold"/> of the validation loss (where extra epochs stop
/// paying), and the epochs where the validation loss rose (the "spikes" of
/// Performance Evaluation 2), with whether any of them is lasting overfitting.
/// </summary>
public sealed class EpochsAnalysis
{
    private EpochsAnalysis(string name, IReadOnlyList<EpochAnalysisRow> rows, IReadOnlyList<ValidationSpike> spikes, int window, double threshold)
    {
        Name = name;
        Rows = rows;
        Spikes = spikes;
        Window = window;
        Threshold = threshold;
    }

    public string Name { get; }
    public IReadOnlyList<EpochAnalysisRow> Rows { get; }
    public IReadOnlyList<ValidationSpike> Spikes { get; }
    public int Window { get; }
    public double Threshold { get; }

    /// <summary>The first epoch after which the next <see cref="Window"/> epochs lower the validation loss by less than <see cref="Threshold"/>; null if none does.</summary>
    public int? PayoffEpoch => Rows.FirstOrDefault(r => r.GainOverNextWindow < Threshold)?.Epoch;

    /// <summary>The epoch with the lowest validation loss.</summary>
    public EpochAnalysisRow Best => Rows.MinBy(r => r.ValidationLoss)!;

    public EpochAnalysisRow Last => Rows[^1];

    /// <summary>
    /// Lasting overfitting: after its best epoch the validation loss ends more
    /// than <see cref="Threshold"/> above its best while the training loss kept
    /// falling. Spikes that a later epoch recovers are not that.
    /// </summary>
    public bool Overfits =>
        Last.ValidationLoss > Best.ValidationLoss * (1 + Threshold) && Last.TrainLoss < Best.TrainLoss;

    /// <summary>The study of one run; <paramref name="window"/> epochs and a <paramref name="threshold"/> share (0.005 = 0.5%) define "stops paying".</summary>
    public static EpochsAnalysis Of(string name, TrainingHistory history, int window = 10, double threshold = 0.005)
    {
        var epochs = history.Epochs;
        if (epochs.Count == 0) throw new ArgumentException($"The history of '{name}' has no epoch.", nameof(history));
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be at least one epoch.");
        var spikes = new List<ValidationSpike>();
        for (var i = 1; i < epochs.Count; i++)
        {
            if (epochs[i].ValidationLoss <= epochs[i - 1].ValidationLoss) continue;
            var before = epochs[i - 1].ValidationLoss;
            var recovered = epochs.Skip(i + 1).FirstOrDefault(e => e.ValidationLoss < before)?.Epoch;
            spikes.Add(new ValidationSpike(epochs[i].Epoch, epochs[i].ValidationLoss - before, epochs[i].TrainLoss - epochs[i - 1].TrainLoss, recovered));
        }
        var spikeEpochs = spikes.Select(s => s.Epoch).ToHashSet();
        var rows = epochs.Select((e, i) => new EpochAnalysisRow(e.Epoch, e.TrainLoss, e.ValidationLoss, Psnr.FromMse(e.ValidationMse),
            i + window < epochs.Count ? (e.ValidationLoss - epochs[i + window].ValidationLoss) / e.ValidationLoss : null,
            spikeEpochs.Contains(e.Epoch))).ToList();
        return new EpochsAnalysis(name, rows, spikes, window, threshold);
    }

    /// <summary>What the run says, in sentences computed from it.</summary>
    public string Verdict()
    {
        var text = new StringBuilder();
        text.Append(PayoffEpoch is { } payoff
            ? $"{Name}: after epoch {payoff} the next {Epochs(Window)} lower the validation loss by less than {Percent(Threshold)} " +
              $"(PSNR {D(Row(payoff).ValidationPsnr)} dB at epoch {payoff}, {D(Last.ValidationPsnr)} dB at epoch {Last.Epoch}). "
            : $"{Name}: in these {Epochs(Rows.Count)}, each next {Epochs(Window)} still lower the validation loss by at least {Percent(Threshold)}, " +
              "so more epochs still pay. ");
        if (Spikes.Count == 0)
        {
            text.Append("The validation loss never rose from one epoch to the next.");
            return text.ToString();
        }
        var largest = Spikes.MaxBy(s => s.Rise)!;
        var whileTraining = Spikes.Count(s => s.TrainChange < 0);
        var recovered = Spikes.Count(s => s.RecoveredAt is not null);
        text.Append($"The validation loss rose at {Spikes.Count} of {Rows.Count - 1} epoch steps (largest +{F(largest.Rise)} at epoch {largest.Epoch}, " +
                    $"{Percent(largest.Rise / Row(largest.Epoch - 1).ValidationLoss)}); at {whileTraining} of them the training loss still fell, " +
                    $"and {recovered} were followed by a new low. ");
        text.Append(Overfits
            ? $"Lasting overfitting is seen: the best validation loss is at epoch {Best.Epoch} ({F(Best.ValidationLoss)}), the last is {F(Last.ValidationLoss)} while training kept improving."
            : $"No lasting overfitting: the best validation loss is at epoch {Best.Epoch} ({F(Best.ValidationLoss)}) and the last ({F(Last.ValidationLoss)}) is " +
              $"{Percent((Last.ValidationLoss - Best.ValidationLoss) / Best.ValidationLoss)} above it, under {Percent(Threshold)} or with training no better; " +
              "the rises are passing, not a trend.");
        return text.ToString();
    }

    /// <summary>A Markdown table at the given epochs (those the run has), with the study's columns.</summary>
    public string ToMarkdown(IEnumerable<int> epochs)
    {
        var text = new StringBuilder($"| epoch | train BCE | validation BCE | validation PSNR (dB) | validation loss gain over the next {Window} epochs |\n| ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var row in epochs.Select(e => Rows.FirstOrDefault(r => r.Epoch == e)).OfType<EpochAnalysisRow>())
            text.AppendLine($"| {row.Epoch} | {F(row.TrainLoss)} | {F(row.ValidationLoss)} | {D(row.ValidationPsnr)} | " +
                            $"{(row.GainOverNextWindow is { } gain ? Percent(gain) : "")} |");
        return text.ToString();
    }

    private static string Epochs(int count) => count == 1 ? "1 epoch" : $"{count} epochs";

    private EpochAnalysisRow Row(int epoch) => Rows.First(r => r.Epoch == epoch);

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
    private static string D(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
    private static string Percent(double share) => (share * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
