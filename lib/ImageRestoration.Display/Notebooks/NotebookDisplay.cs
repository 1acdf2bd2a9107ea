using System.Globalization;
using static System.FormattableString;
using System.Net;
using System.Text;
using ImageRestoration.Charts;
using ImageRestoration.Configuration;
using ImageRestoration.Data;
using ImageRestoration.Evaluation;
using ImageRestoration.Studies;
using ImageRestoration.Models;
using ImageRestoration.Photos;
using ImageRestoration.Training;
using static TorchSharp.torch;

namespace ImageRestoration.Notebooks;

/// <summary>
/// How the library's objects show in a notebook. After
/// <see cref="Register"/> (the notebooks' shared setup calls it), a cell that
/// ends in one of them shows a picture or a table instead of a type name:
/// <list type="bullet">
/// <item>a <see cref="TrainingHistory"/>: its loss chart;</item>
/// <item>an <see cref="ImageDataset"/>, or an image batch (N x 1 x H x W or N x H x W in [0,1]): a digit grid;</item>
/// <item>a <see cref="ModelSummary"/> or a <see cref="RestorationModel"/>: the Keras-style layer table;</item>
/// <item>a <see cref="StudyTable"/>: its table and chart;</item>
/// <item>an <see cref="ExperimentConfiguration"/>: its keys and values;</item>
/// <item>an <see cref="ExperimentResult"/>: a card with its figures, loss chart and digit grid;</item>
/// <item>a <see cref="ChartDescription"/> (every chart of this kit): its PNG and, where scripts run, the interactive chart (<see cref="ChartHtml.NotebookOutput"/>);</item>
/// <item>a <see cref="DigitGridFigure"/>: its PNG.</item>
/// </list>
/// Every picture is a PNG inside the HTML, so the notebook shows its figures
/// wherever it is read. Plain text (a console, <c>ToString</c>) is unchanged.
/// </summary>
public static class NotebookDisplay
{
    /// <summary>The types <see cref="Html"/> shows, most specific first.</summary>
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(ChartDescription), typeof(DigitGridFigure), typeof(PhotoFigure), typeof(Table), typeof(TrainingHistory), typeof(ImageDataset),
        typeof(Tensor), typeof(ModelSummary), typeof(RestorationModel), typeof(StudyTable), typeof(ExperimentConfiguration), typeof(ExperimentResult),
    ];

    /// <summary>
    /// Registers an HTML formatter for each of <see cref="Types"/> in the
    /// running .NET Interactive kernel (found by name: this library does not
    /// reference the kernel's packages). Returns how many were registered: 0
    /// outside a kernel.
    /// </summary>
    public static int Register() =>
        Types.Count(type => InteractiveKernel.Register(type, (value, writer) => writer.Write(Html(value)), "text/html"));

    /// <summary>The HTML a notebook shows for <paramref name="value"/>: its <see cref="Parts"/>, a finished run's inside a card; a &lt;pre&gt; of its text for other objects.</summary>
    public static string Html(object value)
    {
        var html = string.Concat(Parts(value).Select(PartHtml));
        return value is ExperimentResult
            ? $"<div class=\"image-restoration-card\" style=\"border:1px solid #ccc;padding:8px;max-width:100%\">{html}</div>"
            : html;
    }

    /// <summary>
    /// What a value shows, in order: charts (<see cref="ChartDescription"/>),
    /// pictures (<see cref="DigitGridFigure"/>, <see cref="PhotoFigure"/>),
    /// tables (<see cref="Table"/>), a finished run's heading
    /// (<see cref="RunHeading"/>), notes (<see cref="Note"/>) and plain text
    /// (a string). A notebook draws them as HTML (<see cref="Html"/>), an app
    /// as PNG files and console text (<see cref="FileDisplay"/>).
    /// </summary>
    internal static IReadOnlyList<object> Parts(object value) => value switch
    {
        ChartDescription or DigitGridFigure or PhotoFigure or Table => [value],
        TrainingHistory history => history.Epochs.Count == 0 ? ["A training history with no epoch yet."] : [LossChart.Of(history)],
        ImageDataset dataset => dataset.Count == 0 ? [$"An empty data set ({DisplayPath.Of(dataset.Source)})."] : [Grid(dataset, 10)],
        Tensor tensor => IsImageBatch(tensor) ? [Grid(tensor)] : [tensor.ToString()],
        ModelSummary summary => Layers(summary),
        RestorationModel model => Layers(ModelSummary.Of(model)),
        StudyTable table => [Table.Of(table.Rows), StudyChart.Of(table)],
        ExperimentConfiguration configuration => [Table.Of(configuration.Keys().Select(k => new { Key = k.Name, k.Value, k.Description }))],
        ExperimentResult result => Card(result),
        _ => [value.ToString() ?? ""],
    };

    private static string PartHtml(object part) => part switch
    {
        ChartDescription chart => ChartHtml.NotebookOutput(chart),
        DigitGridFigure grid => grid.ToHtml(),
        PhotoFigure photos => photos.ToHtml(),
        Table table => table.ToHtml(),
        RunHeading heading => heading.ToHtml(),
        Note note => $"<p>{WebUtility.HtmlEncode(note.Text)}</p>",
        _ => Text(part.ToString() ?? ""),
    };

    /// <summary>
    /// Whether a tensor is a batch of pictures a digit grid can show: N x 1 x
    /// H x W or N x H x W, floating point, sides of 4 to 64 pixels, values in [0,1].
    /// </summary>
    public static bool IsImageBatch(Tensor tensor)
    {
        if (!tensor.is_floating_point() || tensor.numel() == 0) return false;
        var shape = tensor.shape;
        var (height, width) = tensor.dim() switch
        {
            4 when shape[1] == 1 => (shape[2], shape[3]),
            3 => (shape[1], shape[2]),
            _ => (0L, 0L),
        };
        if (height is < 4 or > 64 || width is < 4 or > 64) return false;
        using var scope = NewDisposeScope();
        return tensor.min().item<float>() >= 0 && tensor.max().item<float>() <= 1;
    }

    /// <summary>The first digits of a non-empty data set as a grid (also for <see cref="FileDisplay"/>).</summary>
    internal static DigitGridFigure Grid(ImageDataset dataset, int count)
    {
        count = Math.Min(count, dataset.Count);
        return DigitGrid.Digits(dataset.Images, dataset.Labels, count, "digit", $"{DisplayPath.Of(dataset.Source)}: the first {count} of {dataset.Count:N0}");
    }

    /// <summary>An image batch as a grid (also for <see cref="FileDisplay"/>).</summary>
    internal static DigitGridFigure Grid(Tensor tensor) => DigitGrid.Of([DigitGrid.Row("", tensor)], title: $"Pictures ({Shape(tensor)})");

    private static IReadOnlyList<object> Layers(ModelSummary summary) =>
        [Table.Of(summary.Layers), new Note($"Total params: {summary.TotalParameters.ToString("N0", CultureInfo.InvariantCulture)}")];

    /// <summary>A finished run in short: its heading (name, epochs, losses, time), then its loss chart and its digit grid.</summary>
    private static IReadOnlyList<object> Card(ExperimentResult result)
    {
        List<object> parts = [new RunHeading(result)];
        if (result.History.Epochs.Count > 0) parts.Add(LossChart.Of(result.History, RunName.Of(result.Configuration)));
        parts.Add(RunPages.Digits(result));
        return parts;
    }

    private static string Shape(Tensor tensor) => string.Join(" x ", tensor.shape);

    private static string Text(string text) => $"<pre>{WebUtility.HtmlEncode(text)}</pre>";
}

/// <summary>A line of text under a table (a paragraph in a notebook).</summary>
internal sealed record Note(string Text)
{
    public override string ToString() => Text;
}

/// <summary>A finished run's heading: its name, then its epochs, losses, time per epoch and run folder.</summary>
internal sealed record RunHeading(ExperimentResult Result)
{
    private string Name => RunName.Of(Result.Configuration);

    private string? Summary => Result.History.Last is { } last
        ? Invariant($"{last.Epoch} epochs on {Result.Train.Count:N0} pictures, {Result.History.Epochs.Average(e => e.Seconds):F1} s per epoch; ") +
          Invariant($"final loss {last.TrainLoss:F4}, validation loss {last.ValidationLoss:F4}")
        : null;

    public string ToHtml() =>
        $"<h4 style=\"margin:0 0 6px 0\">{WebUtility.HtmlEncode(Name)}</h4>" +
        (Summary is { } summary
            ? $"<p style=\"margin:0 0 6px 0\">{WebUtility.HtmlEncode(summary)}; run folder <code>{WebUtility.HtmlEncode(Result.RunFolder.Path)}</code></p>"
            : "");

    public override string ToString() => $"{Name}: {(Summary is { } summary ? summary + "; " : "")}run folder {Result.RunFolder}";
}
