using System.Diagnostics;
using System.Globalization;

namespace ImageRestoration.Training;

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
