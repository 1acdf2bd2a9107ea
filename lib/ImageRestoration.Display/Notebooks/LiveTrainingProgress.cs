using System.Diagnostics;
using System.Net;
using static System.FormattableString;
using ImageRestoration.Charts;
using ImageRestoration.Training;

namespace ImageRestoration.Notebooks;

/// <summary>
/// Training progress in a notebook as one output that changes in place, as
/// Keras and fastai users expect: a bar that moves with the batches (redrawn
/// at most once a second), the epochs so far and their loss chart, redrawn
/// after each epoch, titled with the run that trains. When one progress
/// serves several trainings (a study), each run's chart starts afresh under
/// its own name. After the last epoch the output keeps the final line only:
/// the finished run's chart is the one the notebook shows next (its history
/// displayed, or a study's chart), so no figure appears twice.
/// Outside a kernel it falls back to the text progress it wraps.
/// </summary>
internal sealed class LiveTrainingProgress : TrainingProgress
{
    private readonly Stopwatch sinceUpdate = Stopwatch.StartNew();
    private TrainingHistory history = new();
    private int epochs;
    private string run;
    private object? displayed;
    private string bar = "";
    private string chartHtml = "";

    /// <param name="epochs">The number of epochs the run is configured for.</param>
    /// <param name="run">The run's name, in the chart's title, until a training <see cref="Begin"/>s under its own.</param>
    /// <param name="fallback">Where the text lines go when no kernel runs the cell (null: nowhere).</param>
    public LiveTrainingProgress(int epochs, string run, TextWriter? fallback = null) : base(fallback, verbosity: 1, epochs, live: false)
    {
        this.epochs = epochs;
        this.run = run;
    }

    /// <summary>What the output shows now: the bar and, once an epoch has ended, the loss chart.</summary>
    public string Html { get; private set; } = "";

    /// <summary>The run whose losses the chart shows: the one that trains now.</summary>
    public string Run => run;

    public override void Begin(string run, int runEpochs, TrainingHistory history)
    {
        base.Begin(run, runEpochs, history);
        this.run = run;
        epochs = runEpochs;
        this.history = new TrainingHistory { Epochs = [.. history.Epochs] };
        chartHtml = "";
    }

    public override void Batch(int epoch, int batch, int batches, double meanLoss, double images, TimeSpan elapsed)
    {
        if (sinceUpdate.ElapsedMilliseconds < 1000 && batch < batches && displayed is not null) return;
        bar = Invariant($"<progress value=\"{batch}\" max=\"{batches}\" style=\"width:240px;vertical-align:middle\"></progress> ") +
              Invariant($"<code>{WebUtility.HtmlEncode(run)}: epoch {epoch}/{epochs}, batch {batch}/{batches}, {elapsed.TotalSeconds:F0} s, ") +
              Invariant($"{images / Math.Max(elapsed.TotalSeconds, 1e-9):F0} pictures/s, loss {meanLoss:F4}</code>");
        Show();
        if (displayed is null) base.Batch(epoch, batch, batches, meanLoss, images, elapsed);
    }

    public override void Epoch(EpochRecord record, int batches, int images)
    {
        history.Epochs.Add(record);
        var done = record.Epoch >= epochs;
        var state = done ? "done: " : "";
        bar = Invariant($"<progress value=\"{record.Epoch}\" max=\"{epochs}\" style=\"width:240px;vertical-align:middle\"></progress> ") +
              Invariant($"<code>{WebUtility.HtmlEncode(run)}: {state}epoch {record.Epoch}/{epochs}, {record.Seconds:F1} s, {images / Math.Max(record.Seconds, 1e-9):F0} pictures/s, ") +
              Invariant($"loss {record.TrainLoss:F4}, validation loss {record.ValidationLoss:F4}</code>");
        // While training: the picture only (cheap to redraw); at the end: no chart, the notebook shows the finished run's.
        chartHtml = done ? "" : $"<div>{ChartImage.Html(LossChart.Of(history, run))}</div>";
        Show();
        if (displayed is null) base.Epoch(record, batches, images);
    }

    private void Show()
    {
        Html = $"<div class=\"image-restoration-training\">{bar}{chartHtml}</div>";
        sinceUpdate.Restart();
        if (displayed is null) displayed = InteractiveKernel.Display(Html);
        else InteractiveKernel.Update(displayed, Html);
    }
}
