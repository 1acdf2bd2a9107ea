using System.Globalization;
using ImageRestoration.Configuration;
using ImageRestoration.Degradations;
using ImageRestoration.Models;
using ImageRestoration.Training;
using SkiaSharp;
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

/// <summary>
/// The presentation's rows of digits as one picture: row titles on the left,
/// column titles (the labels) on top, each digit black 0 to white 1 with its
/// pixels drawn square and sharp. A PNG, so it shows wherever the notebook is
/// read, with or without scripts; in a notebook it displays itself.
/// </summary>
public sealed class DigitGridFigure
{
    private const int Gap = 4, Margin = 6, TitleHeight = 28, HeaderHeight = 18;
    private byte[]? png;

    internal DigitGridFigure(IReadOnlyList<GridRow> rows, IReadOnlyList<string> columnTitles, string? title, int cellSize)
    {
        if (rows.Count == 0 || rows.All(r => r.Images.Count == 0)) throw new ArgumentException("A grid needs at least one picture.", nameof(rows));
        if (cellSize < 8) throw new ArgumentOutOfRangeException(nameof(cellSize), cellSize, "A cell needs at least 8 pixels.");
        Rows = rows;
        ColumnTitles = columnTitles;
        Title = string.IsNullOrWhiteSpace(title) ? null : title;
        CellSize = cellSize;
    }

    internal IReadOnlyList<GridRow> Rows { get; }

    /// <summary>The labels above the columns; empty when there are none.</summary>
    public IReadOnlyList<string> ColumnTitles { get; }

    public string? Title { get; }

    /// <summary>The side of one picture's square, in pixels.</summary>
    public int CellSize { get; }

    public int Columns => Rows.Max(r => r.Images.Count);

    /// <summary>The picture, encoded once.</summary>
    public byte[] Png() => png ??= Draw();

    /// <summary>An HTML fragment with the picture inside (a data URI): a notebook output that needs no script and no file.</summary>
    public string ToHtml()
    {
        var (width, height) = Size();
        return ChartImage.Img(Png(), width, height, ToString());
    }

    /// <summary>Writes the PNG (atomically) and returns its full path.</summary>
    public string Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full + ".tmp", Png());
        File.Move(full + ".tmp", full, overwrite: true);
        return full;
    }

    /// <summary>What the grid shows, in words: for a console, and as the picture's alternative text.</summary>
    public override string ToString() =>
        $"{Title ?? "Digits"}: rows {string.Join(", ", Rows.Select(r => r.Title))}" +
        (ColumnTitles.Count > 0 ? $"; labels {string.Join(" ", ColumnTitles)}" : $"; {Columns} pictures per row");

    /// <summary>The picture's width and height in pixels.</summary>
    public (int Width, int Height) Size()
    {
        var left = RowTitleWidth();
        return (left + Columns * CellSize + Margin, Top() + Rows.Count * CellSize + Margin);
    }

    /// <summary>Where the picture of row <paramref name="row"/>, column <paramref name="column"/> is drawn: its square cell.</summary>
    public (int X, int Y, int Size) Cell(int row, int column) => (RowTitleWidth() + column * CellSize, Top() + row * CellSize, CellSize);

    private int Top() => (Title is null ? Margin : TitleHeight) + (ColumnTitles.Count > 0 ? HeaderHeight : 0);

    private int RowTitleWidth()
    {
        using var font = Font(bold: true);
        return (int)Math.Ceiling(Rows.Max(r => font.MeasureText(r.Title))) + 3 * Margin;
    }

    private static SKFont Font(bool bold, float size = 13) => new(ChartImage.Typeface(bold), size);

    private byte[] Draw()
    {
        var (width, height) = Size();
        var (left, top, _) = Cell(0, 0);
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var bold = Font(bold: true);
        using var plain = Font(bold: false);
        if (Title is not null)
        {
            using var titleFont = Font(bold: true, size: 15);
            canvas.DrawText(Title, width / 2f, 20, SKTextAlign.Center, titleFont, ink);
        }
        for (var c = 0; c < ColumnTitles.Count && c < Columns; c++)
            canvas.DrawText(ColumnTitles[c], left + (c + 0.5f) * CellSize, top - 5, SKTextAlign.Center, plain, ink);
        for (var r = 0; r < Rows.Count; r++)
        {
            var rowTop = top + r * CellSize;
            canvas.DrawText(Rows[r].Title, left - 2 * Margin, rowTop + CellSize / 2f + 5, SKTextAlign.Right, bold, ink);
            for (var c = 0; c < Rows[r].Images.Count; c++)
            {
                using var picture = Picture(Rows[r].Images[c]);
                // Keep the picture's proportions (codes are wider than tall) inside the square cell.
                var room = CellSize - Gap;
                var scale = Math.Min((float)room / picture.Width, (float)room / picture.Height);
                var (w, h) = (picture.Width * scale, picture.Height * scale);
                var x = left + c * CellSize + (CellSize - w) / 2;
                var y = rowTop + (CellSize - h) / 2;
                canvas.DrawImage(picture, new SKRect(x, y, x + w, y + h), new SKSamplingOptions(SKFilterMode.Nearest));
            }
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Values in [0,1] as grey levels; missing pixels (between tiled channels) as the page's white.</summary>
    private static SKImage Picture(double?[][] values)
    {
        var (height, width) = (values.Length, values.Max(r => r.Length));
        var pixels = new byte[height * width];
        for (var i = 0; i < height; i++)
        for (var j = 0; j < width; j++)
            pixels[i * width + j] = j < values[i].Length && values[i][j] is { } v ? (byte)Math.Round(255 * Math.Clamp(v, 0, 1)) : (byte)255;
        using var data = SKData.CreateCopy(pixels);
        return SKImage.FromPixels(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque), data, width);
    }
}
