using System.Globalization;
using ImageRestoration.Configuration;
using ImageRestoration.Degradations;
using ImageRestoration.Models;
using ImageRestoration.Training;
using static TorchSharp.torch;

namespace ImageRestoration.Charts;

/// <summary>
/// One row of a digit grid: a title (input, encoded, decoded...) and its
/// pictures, each a height x width array of values in [0,1] (null: no pixel,
/// drawn as background).
/// </summary>
internal sealed record GridRow(string Title, IReadOnlyList<double?[][]> Images);

/// <summary>
/// The presentation's rows of digits (input / encoded / decoded, noisy /
/// cleaned / original) as one picture (<see cref="DigitGridFigure"/>): black 0
/// to white 1, row titles on the left and column titles (labels) on top.
/// </summary>
public static class DigitGrid
{
    /// <summary>
    /// A row of the first <paramref name="count"/> pictures of a batch
    /// (N x C x H x W or N x H x W). Pictures with several channels (the 8x4x4
    /// codes) are tiled channel by channel. With <paramref name="scalePerPicture"/>
    /// each picture is stretched to [0,1] (for codes, which are not in [0,1]);
    /// otherwise values are clipped to [0,1].
    /// </summary>
    internal static GridRow Row(string title, Tensor images, int count = 10, bool scalePerPicture = false)
    {
        if (images.dim() is < 3 or > 4) throw new ArgumentException($"Expected N x C x H x W or N x H x W pictures, got shape ({string.Join(", ", images.shape)}).", nameof(images));
        var n = (int)Math.Min(count, images.shape[0]);
        using var scope = NewDisposeScope();
        var batch = images.narrow(0, 0, n).detach().cpu().to(ScalarType.Float32);
        if (batch.dim() == 3) batch = batch.unsqueeze(1);
        var (channels, height, width) = ((int)batch.shape[1], (int)batch.shape[2], (int)batch.shape[3]);
        var values = batch.contiguous().data<float>().ToArray();
        var pictures = new List<double?[][]>(n);
        for (var i = 0; i < n; i++)
        {
            var picture = Tile(values.AsSpan(i * channels * height * width, channels * height * width), channels, height, width);
            pictures.Add(scalePerPicture ? Stretch(picture) : Clip(picture));
        }
        return new GridRow(title, pictures);
    }

    /// <summary>A grid of rows of pictures, as a picture; <paramref name="columnTitles"/> (such as the labels) go above the columns.</summary>
    internal static DigitGridFigure Of(IEnumerable<GridRow> rows, IEnumerable<string>? columnTitles = null, string? title = null, int cellSize = 56) =>
        new(rows.ToList(), columnTitles?.ToList() ?? [], title, cellSize);

    /// <summary>The first <paramref name="count"/> pictures of a data set in one row, labelled.</summary>
    public static DigitGridFigure Digits(Tensor images, IReadOnlyList<byte> labels, int count = 10, string rowTitle = "digit", string? title = null) =>
        Of([Row(rowTitle, images, count)], Labels(labels, count), title);

    /// <summary>
    /// How a picture gets degraded: the original digits, then one row per
    /// degradation, each drawn from a generator seeded with <paramref name="seed"/>.
    /// </summary>
    public static DigitGridFigure Degradations(Tensor images, IEnumerable<Degradation> degradations, int count = 5, long seed = 42,
        IReadOnlyList<byte>? labels = null, string? title = "How a picture gets degraded")
    {
        using var scope = NewDisposeScope();
        var originals = images.narrow(0, 0, Math.Min(count, images.shape[0]));
        var rows = new List<GridRow> { Row("original", originals, count) };
        foreach (var degradation in degradations)
        {
            using var generator = new Generator((ulong)seed);
            rows.Add(Row(degradation.Name, degradation.Apply(originals, generator), count));
        }
        return Of(rows, labels is null ? null : Labels(labels, count), title);
    }

    /// <summary>
    /// The presentation's reconstruction figure: input digits, their codes
    /// (for the presentation's autoencoder: 8 channels of 4x4, tiled, each stretched to
    /// [0,1]) and the decoded digits.
    /// </summary>
    public static DigitGridFigure Reconstructions(RestorationModel model, Tensor images, IReadOnlyList<byte>? labels = null, int count = 10,
        string? title = "Input, encoded and decoded digits")
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        model.eval();
        var inputs = images.narrow(0, 0, Math.Min(count, images.shape[0]));
        var rows = new List<GridRow> { Row("input", inputs, count) };
        if (model is Autoencoder autoencoder)
            rows.Add(Row("encoded", autoencoder.Encoder.forward(inputs), count, scalePerPicture: true));
        rows.Add(Row("decoded", model.forward(inputs), count));
        return Of(rows, labels is null ? null : Labels(labels, count), title);
    }

    /// <summary>
    /// The presentation's denoising figure for a trained run: its first
    /// pictures as the training validated them (the noisy inputs, see
    /// <see cref="ValidationInputs.Of(ExperimentConfiguration, Tensor, Degradation?)"/>),
    /// what the model makes of them, and the originals.
    /// </summary>
    public static DigitGridFigure Denoising(ExperimentResult run, string? title = DenoisingTitle) =>
        Restorations(run, title, ("noisy input", "cleaned"));

    /// <summary>
    /// The degraded / restored / original grid of the run the configuration
    /// names, loaded from its run folder (or trained, if it is missing).
    /// </summary>
    public static DigitGridFigure Restorations(ExperimentConfiguration configuration)
    {
        using var run = Experiment.LoadOrRun(configuration);
        return Restorations(run, $"{configuration.Model} trained on {configuration.Degradation.Create().Name}: degraded, restored and original");
    }

    /// <summary>The same figure for a run trained on any degradation (masks, blur...): degraded inputs, restorations and originals.</summary>
    public static DigitGridFigure Restorations(ExperimentResult run, string? title = null) =>
        Restorations(run, title ?? $"{run.Configuration.Degradation.Create().Name}: degraded, restored and original", ("degraded", "restored"));

    /// <summary>The denoising figure from given noisy inputs and their originals (the first <paramref name="count"/> of each).</summary>
    public static DigitGridFigure Denoising(RestorationModel model, Tensor noisy, Tensor originals, IReadOnlyList<byte>? labels = null,
        int count = 10, string? title = DenoisingTitle) =>
        Restorations(model, noisy, originals, labels, count, title, ("noisy input", "cleaned"));

    /// <summary>The restorations figure from given degraded inputs and their originals (the first <paramref name="count"/> of each).</summary>
    public static DigitGridFigure Restorations(RestorationModel model, Tensor degraded, Tensor originals, IReadOnlyList<byte>? labels = null,
        int count = 10, string? title = "Degraded, restored and original") =>
        Restorations(model, degraded, originals, labels, count, title, ("degraded", "restored"));

    private const string DenoisingTitle = "Noisy input, cleaned output and original";

    private static DigitGridFigure Restorations(ExperimentResult run, string? title, (string Input, string Output) rowTitles)
    {
        var configuration = run.Configuration;
        using var degraded = ValidationInputs.Of(configuration, run.Test.Images, configuration.Degradation.Create());
        return Restorations(run.Model, degraded, run.Test.Images, run.Test.Labels, configuration.PicturesShown, title, rowTitles);
    }

    private static DigitGridFigure Restorations(RestorationModel model, Tensor degraded, Tensor originals, IReadOnlyList<byte>? labels,
        int count, string? title, (string Input, string Output) rowTitles)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        model.eval();
        var shown = Math.Min(count, originals.shape[0]);
        var inputs = degraded.narrow(0, 0, shown);
        return Of([Row(rowTitles.Input, inputs, count), Row(rowTitles.Output, model.forward(inputs), count), Row("original", originals.narrow(0, 0, shown), count)],
            labels is null ? null : Labels(labels, count), title);
    }

    private static IEnumerable<string> Labels(IReadOnlyList<byte> labels, int count) =>
        labels.Take(count).Select(l => l.ToString(CultureInfo.InvariantCulture));

    /// <summary>Lays C channels of H x W side by side, in rows of about twice as many as there are rows, one empty pixel apart.</summary>
    private static double?[][] Tile(ReadOnlySpan<float> values, int channels, int height, int width)
    {
        var across = channels == 1 ? 1 : (int)Math.Ceiling(Math.Sqrt(2.0 * channels));
        var down = (channels + across - 1) / across;
        var picture = new double?[down * height + down - 1][];
        for (var row = 0; row < picture.Length; row++) picture[row] = new double?[across * width + across - 1];
        for (var channel = 0; channel < channels; channel++)
        {
            var (top, left) = (channel / across * (height + 1), channel % across * (width + 1));
            for (var i = 0; i < height; i++)
            for (var j = 0; j < width; j++)
                picture[top + i][left + j] = values[(channel * height + i) * width + j];
        }
        return picture;
    }

    private static double?[][] Clip(double?[][] picture) =>
        picture.Select(row => row.Select(v => v is { } x ? Math.Round(Math.Clamp(x, 0, 1), 3) : (double?)null).ToArray()).ToArray();

    private static double?[][] Stretch(double?[][] picture)
    {
        var present = picture.SelectMany(r => r).Where(v => v.HasValue).Select(v => v!.Value).ToList();
        var (low, high) = present.Count == 0 ? (0.0, 1.0) : (present.Min(), present.Max());
        var range = high - low > 1e-12 ? high - low : 1.0;
        return picture.Select(row => row.Select(v => v is { } x ? Math.Round((x - low) / range, 3) : (double?)null).ToArray()).ToArray();
    }

}
