using System.Diagnostics;
using System.Globalization;
using static System.FormattableString;
using ImageRestoration.Charts;
using ImageRestoration.Training;

namespace ImageRestoration.Notebooks;

/// <summary>
/// Training progress in a notebook as one output that changes in place, as
/// Keras and fastai users expect: a bar that moves with the batches (redrawn
/// at most once a second), the epochs so far and their loss chart, redrawn
/// after each epoch; after the last epoch it is the final loss chart. The
/// executed notebook keeps only that last state, not a line per update.
/// When one progress serves several trainings (a study), a training that
/// starts again from epoch 1 starts the chart again in the same output, so a
/// study's cell ends with one picture (its last training), not one per model.
/// Outside a kernel it falls back to the text progress it wraps.
/// </summary>
public sealed class LiveTrainingProgress : TrainingProgress
{
    private readonly int epochs;
    private readonly string name;
    private readonly TrainingHistory history = new();
    private readonly Stopwatch sinceUpdate = Stopwatch.StartNew();
    private object? displayed;
    private string bar = "";
    private int lastEpoch;
    private int trainings = 1;

    /// <param name="epochs">The number of epochs the run is configured for.</param>
    /// <param name="name">The run's name, in the chart's title.</param>
    /// <param name="fallback">Where the text lines go when no kernel runs the cell (null: nowhere).</param>
    public LiveTrainingProgress(int epochs, string name, TextWriter? fallback = null) : base(fallback, verbosity: 1, epochs, live: false)
    {
        this.epochs = epochs;
        this.name = name;
    }

    /// <summary>What the output shows now: the bar and, once an epoch has ended, the loss chart.</summary>
    public string Html { get; private set; } = "";

    public override void Batch(int epoch, int batch, int batches, double meanLoss, double images, TimeSpan elapsed)
    {
        if (epoch <= lastEpoch && batch == 1) NextTraining();
        lastEpoch = Math.Max(lastEpoch, epoch - 1);
        if (sinceUpdate.ElapsedMilliseconds < 1000 && batch < batches && displayed is not null) return;
        bar = Invariant($"<progress value=\"{batch}\" max=\"{batches}\" style=\"width:240px;vertical-align:middle\"></progress> ") +
              Invariant($"<code>epoch {epoch}/{epochs}, batch {batch}/{batches}, {elapsed.TotalSeconds:F0} s, ") +
              Invariant($"{images / Math.Max(elapsed.TotalSeconds, 1e-9):F0} pictures/s, loss {meanLoss:F4}</code>");
        Show(chart: null);
        if (displayed is null) base.Batch(epoch, batch, batches, meanLoss, images, elapsed);
    }

    public override void Epoch(EpochRecord record, int batches, int images)
    {
        if (record.Epoch <= lastEpoch) NextTraining();
        lastEpoch = record.Epoch;
        history.Epochs.Add(record);
        var done = record.Epoch >= epochs;
        var state = done ? "done: " : "";
        bar = Invariant($"<progress value=\"{record.Epoch}\" max=\"{epochs}\" style=\"width:240px;vertical-align:middle\"></progress> ") +
              Invariant($"<code>{state}epoch {record.Epoch}/{epochs}, {record.Seconds:F1} s, {images / Math.Max(record.Seconds, 1e-9):F0} pictures/s, ") +
              Invariant($"loss {record.TrainLoss:F4}, validation loss {record.ValidationLoss:F4}</code>");
        var run = trainings > 1 ? $"{name} (training {trainings})" : name;
        var chart = LossChart.Of(history, run);
        // While training: the picture only (cheap to redraw); at the end: the interactive chart over it.
        Show(done ? ChartHtml.NotebookOutput(chart) : StaticChart(chart, $"{run}: loss per epoch so far"));
        if (displayed is null) base.Epoch(record, batches, images);
    }

    private string? chartHtml;

    /// <summary>A new training began (epoch 1 again): a fresh history, in the same output.</summary>
    private void NextTraining()
    {
        history.Epochs.Clear();
        chartHtml = null;
        lastEpoch = 0;
        trainings++;
    }

    private void Show(string? chart)
    {
        if (chart is not null) chartHtml = chart;
        Html = $"<div class=\"image-restoration-training\">{bar}{chartHtml ?? ""}</div>";
        sinceUpdate.Restart();
        if (displayed is null) displayed = InteractiveKernel.Display(Html);
        else InteractiveKernel.Update(displayed, Html);
    }

    private static string StaticChart(Plotly.NET.GenericChart chart, string description) => $"<div>{ChartImage.Html(chart, description)}</div>";
}
