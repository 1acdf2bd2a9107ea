using System.Globalization;
using ImageRestoration.Configuration;
using ImageRestoration.Degradations;
using ImageRestoration.Models;
using ImageRestoration.Training;
using Plotly.NET;
using static ImageRestoration.Charts.PlotlyObjects;
using static TorchSharp.torch;

namespace ImageRestoration.Charts;

/// <summary>
/// One row of a digit grid: a title (input, encoded, decoded...) and its
/// pictures, each a height x width array of values in [0,1] (null: no pixel,
/// drawn as background).
/// </summary>
public sealed record GridRow(string Title, IReadOnlyList<double?[][]> Images);

/// <summary>
/// The presentation's rows of digits (input / encoded / decoded, noisy /
/// cleaned / original) as a grid of greyscale heatmap subplots: one subplot
/// per picture, black 0 to white 1, the y axis reversed so that a digit is the
/// right way up, square pixels, row titles on the left and column titles
/// (labels) on top.
/// </summary>
public static class DigitGrid
{
    /// <summary>Plotly's greyscale from black (0) to white (1), as matplotlib's gray.</summary>
    private static readonly object[][] Greys = [[0.0, "rgb(0,0,0)"], [1.0, "rgb(255,255,255)"]];

    /// <summary>
    /// A row of the first <paramref name="count"/> pictures of a batch
    /// (N x C x H x W or N x H x W). Pictures with several channels (the 8x4x4
    /// codes) are tiled channel by channel. With <paramref name="scalePerPicture"/>
    /// each picture is stretched to [0,1] (for codes, which are not in [0,1]);
    /// otherwise values are clipped to [0,1].
    /// </summary>
    public static GridRow Row(string title, Tensor images, int count = 10, bool scalePerPicture = false)
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

    /// <summary>A grid of rows of pictures; <paramref name="columnTitles"/> (such as the labels) go above the columns.</summary>
    public static GenericChart Of(IEnumerable<GridRow> rows, IEnumerable<string>? columnTitles = null, string? title = null, int cellSize = 72)
    {
        var grid = rows.ToList();
        if (grid.Count == 0 || grid.All(r => r.Images.Count == 0)) throw new ArgumentException("A grid needs at least one picture.", nameof(rows));
        var columns = grid.Max(r => r.Images.Count);
        var headers = columnTitles?.ToList() ?? [];
        var hasTitle = !string.IsNullOrWhiteSpace(title);
        var (left, right, top, bottom) = (110, 10, (hasTitle ? 50 : 10) + (headers.Count > 0 ? 22 : 0), 10);

        var traces = new List<Trace>();
        var layout = Layout(
            ("title", hasTitle ? Title(title) : null),
            ("width", left + right + columns * cellSize),
            ("height", top + bottom + grid.Count * cellSize),
            ("margin", Object(("l", left), ("r", right), ("t", top), ("b", bottom))),
            ("showlegend", false),
            ("plot_bgcolor", "rgba(0,0,0,0)"));
        var annotations = new List<DynamicObj.DynamicObj>();
        const double pad = 0.04;
        for (var r = 0; r < grid.Count; r++)
        {
            var (y0, y1) = (1 - (r + 1 - pad) / grid.Count, 1 - (r + pad) / grid.Count);
            annotations.Add(Object(("text", $"<b>{Escape(grid[r].Title)}</b>"), ("xref", "paper"), ("yref", "paper"),
                ("x", -0.01), ("y", (y0 + y1) / 2), ("xanchor", "right"), ("yanchor", "middle"), ("showarrow", false)));
            for (var c = 0; c < grid[r].Images.Count; c++)
            {
                var k = r * columns + c + 1;
                var (x, y) = (k == 1 ? "x" : $"x{k}", k == 1 ? "y" : $"y{k}");
                var columnTitle = c < headers.Count ? headers[c] : $"{c + 1}";
                traces.Add(Trace("heatmap",
                    ("name", $"{grid[r].Title} {columnTitle}"),
                    ("z", grid[r].Images[c]),
                    ("zmin", 0.0), ("zmax", 1.0),
                    ("colorscale", Greys),
                    ("showscale", false),
                    ("xaxis", x), ("yaxis", y),
                    ("hovertemplate", $"row %{{y}}, column %{{x}}: %{{z:.2f}}<extra>{Escape(grid[r].Title)} {Escape(columnTitle)}</extra>")));
                layout.SetProperty(k == 1 ? "xaxis" : $"xaxis{k}", HiddenAxis(("domain", new[] { (c + pad) / columns, (c + 1 - pad) / columns }),
                    ("anchor", y), ("constrain", "domain")));
                // Reversed: row 0 of a picture is its top, as in an image viewer.
                layout.SetProperty(k == 1 ? "yaxis" : $"yaxis{k}", HiddenAxis(("domain", new[] { y0, y1 }), ("anchor", x),
                    ("autorange", "reversed"), ("scaleanchor", x), ("constrain", "domain")));
            }
        }
        for (var c = 0; c < headers.Count && c < columns; c++)
            annotations.Add(Object(("text", Escape(headers[c])), ("xref", "paper"), ("yref", "paper"), ("x", (c + 0.5) / columns), ("y", 1.0),
                ("xanchor", "center"), ("yanchor", "bottom"), ("showarrow", false)));
        layout.SetProperty("annotations", annotations);
        return Chart(traces, layout);
    }

    /// <summary>The first <paramref name="count"/> pictures of a data set in one row, labelled.</summary>
    public static GenericChart Digits(Tensor images, IReadOnlyList<byte> labels, int count = 10, string rowTitle = "digit", string? title = null) =>
        Of([Row(rowTitle, images, count)], Labels(labels, count), title);

    /// <summary>
    /// How a picture gets degraded: the original digits, then one row per
    /// degradation, each drawn from a generator seeded with <paramref name="seed"/>.
    /// </summary>
    public static GenericChart Degradations(Tensor images, IEnumerable<Degradation> degradations, int count = 5, long seed = 42,
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
    /// (for the seed autoencoder: 8 channels of 4x4, tiled, each stretched to
    /// [0,1]) and the decoded digits.
    /// </summary>
    public static GenericChart Reconstructions(RestorationModel model, Tensor images, IReadOnlyList<byte>? labels = null, int count = 10,
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
    /// <see cref="ExperimentConfiguration.ValidationInputs(Tensor, Degradation?)"/>),
    /// what the model makes of them, and the originals.
    /// </summary>
    public static GenericChart Denoising(ExperimentResult run, string? title = DenoisingTitle) =>
        Restorations(run, title, ("noisy input", "cleaned"));

    /// <summary>The same figure for a run trained on any degradation (masks, blur...): degraded inputs, restorations and originals.</summary>
    public static GenericChart Restorations(ExperimentResult run, string? title = null) =>
        Restorations(run, title ?? $"{run.Configuration.Noise.Create().Name}: degraded, restored and original", ("degraded", "restored"));

    /// <summary>The denoising figure from given noisy inputs and their originals (the first <paramref name="count"/> of each).</summary>
    public static GenericChart Denoising(RestorationModel model, Tensor noisy, Tensor originals, IReadOnlyList<byte>? labels = null,
        int count = 10, string? title = DenoisingTitle) =>
        Restorations(model, noisy, originals, labels, count, title, ("noisy input", "cleaned"));

    /// <summary>The restorations figure from given degraded inputs and their originals (the first <paramref name="count"/> of each).</summary>
    public static GenericChart Restorations(RestorationModel model, Tensor degraded, Tensor originals, IReadOnlyList<byte>? labels = null,
        int count = 10, string? title = "Degraded, restored and original") =>
        Restorations(model, degraded, originals, labels, count, title, ("degraded", "restored"));

    private const string DenoisingTitle = "Noisy input, cleaned output and original";

    private static GenericChart Restorations(ExperimentResult run, string? title, (string Input, string Output) rowTitles)
    {
        var configuration = run.Configuration;
        using var degraded = configuration.ValidationInputs(run.Test.Images, configuration.Noise.Create());
        return Restorations(run.Model, degraded, run.Test.Images, run.Test.Labels, configuration.PicturesShown, title, rowTitles);
    }

    private static GenericChart Restorations(RestorationModel model, Tensor degraded, Tensor originals, IReadOnlyList<byte>? labels,
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

    private static DynamicObj.DynamicObj HiddenAxis(params (string Name, object? Value)[] attributes) =>
        Object([.. attributes, ("showticklabels", false), ("showgrid", false), ("zeroline", false), ("ticks", ""), ("showline", false)]);

    private static string Escape(string text) => System.Net.WebUtility.HtmlEncode(text);
}
