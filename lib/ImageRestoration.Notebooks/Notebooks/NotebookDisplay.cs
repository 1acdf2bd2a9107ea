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
        typeof(ChartDescription), typeof(DigitGridFigure), typeof(TrainingHistory), typeof(ImageDataset), typeof(Tensor), typeof(ModelSummary),
        typeof(RestorationModel), typeof(StudyTable), typeof(ExperimentConfiguration), typeof(ExperimentResult),
    ];

    /// <summary>
    /// Registers an HTML formatter for each of <see cref="Types"/> in the
    /// running .NET Interactive kernel (found by name: this library does not
    /// reference the kernel's packages). Returns how many were registered: 0
    /// outside a kernel.
    /// </summary>
    public static int Register() =>
        Types.Count(type => InteractiveKernel.Register(type, (value, writer) => writer.Write(Html(value)), "text/html"));

    /// <summary>The HTML a notebook shows for <paramref name="value"/>; a &lt;pre&gt; of its text for other objects.</summary>
    public static string Html(object value) => value switch
    {
        ChartDescription chart => ChartHtml.NotebookOutput(chart),
        DigitGridFigure grid => grid.ToHtml(),
        TrainingHistory history => history.Epochs.Count == 0 ? Text("A training history with no epoch yet.") : ChartHtml.NotebookOutput(LossChart.Of(history)),
        ImageDataset dataset => Grid(dataset),
        Tensor tensor => IsImageBatch(tensor) ? Grid(tensor).ToHtml() : Text(tensor.ToString()),
        ModelSummary summary => Layers(summary),
        RestorationModel model => Layers(ModelSummary.Of(model)),
        StudyTable table => HtmlTable.Of(table.Rows) + ChartHtml.NotebookOutput(StudyChart.Of(table)),
        ExperimentConfiguration configuration => HtmlTable.Of(configuration.Keys().Select(k => new { Key = k.Name, k.Value, k.Description })),
        ExperimentResult result => Card(result),
        _ => Text(value.ToString() ?? ""),
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

    private static string Grid(ImageDataset dataset) =>
        dataset.Count == 0 ? Text($"An empty data set ({DisplayPath.Of(dataset.Source)}).") : Grid(dataset, 10).ToHtml();

    /// <summary>The first digits of a non-empty data set as a grid (also for <see cref="FileDisplay"/>).</summary>
    internal static DigitGridFigure Grid(ImageDataset dataset, int count)
    {
        count = Math.Min(count, dataset.Count);
        return DigitGrid.Digits(dataset.Images, dataset.Labels, count, "digit", $"{DisplayPath.Of(dataset.Source)}: the first {count} of {dataset.Count:N0}");
    }

    /// <summary>An image batch as a grid (also for <see cref="FileDisplay"/>).</summary>
    internal static DigitGridFigure Grid(Tensor tensor) => DigitGrid.Of([DigitGrid.Row("", tensor)], title: $"Pictures ({Shape(tensor)})");

    private static string Layers(ModelSummary summary) =>
        HtmlTable.Of(summary.Layers) + $"<p>Total params: {summary.TotalParameters.ToString("N0", CultureInfo.InvariantCulture)}</p>";

    /// <summary>A finished run in short: its name, epochs, losses and time, then its loss chart and its digit grid.</summary>
    private static string Card(ExperimentResult result)
    {
        var html = new StringBuilder("<div class=\"image-restoration-card\" style=\"border:1px solid #ccc;padding:8px;max-width:100%\">");
        html.Append($"<h4 style=\"margin:0 0 6px 0\">{WebUtility.HtmlEncode(RunName.Of(result.Configuration))}</h4>");
        if (result.History.Last is { } last)
            html.Append(Invariant($"<p style=\"margin:0 0 6px 0\">{last.Epoch} epochs on {result.Train.Count:N0} pictures, {result.History.Epochs.Average(e => e.Seconds):F1} s per epoch; "))
                .Append(Invariant($"final loss {last.TrainLoss:F4}, validation loss {last.ValidationLoss:F4}; run folder <code>{WebUtility.HtmlEncode(result.RunFolder.Path)}</code></p>"));
        if (result.History.Epochs.Count > 0) html.Append(ChartHtml.NotebookOutput(LossChart.Of(result.History, RunName.Of(result.Configuration))));
        html.Append(RunPages.Digits(result).ToHtml()).Append("</div>");
        return html.ToString();
    }

    private static string Shape(Tensor tensor) => string.Join(" x ", tensor.shape);

    private static string Text(string text) => $"<pre>{WebUtility.HtmlEncode(text)}</pre>";
}
