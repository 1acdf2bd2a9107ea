using ImageRestoration.Training;
using Plotly.NET;
using static ImageRestoration.Charts.PlotlyObjects;

namespace ImageRestoration.Charts;

/// <summary>Which figure of a <see cref="TrainingHistory"/> a chart shows.</summary>
public enum LossMetric
{
    /// <summary>The training loss: mean binary cross-entropy per pixel.</summary>
    BinaryCrossEntropy,

    /// <summary>Mean squared error per pixel.</summary>
    MeanSquaredError,
}

/// <summary>
/// Loss curves as in the presentation: training and validation loss per
/// epoch, for one run or several on one chart (same colour per run; training
/// solid, validation dashed).
/// </summary>
public static class LossChart
{
    /// <summary>Plotly's default colours, one per run.</summary>
    internal static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

    /// <summary>Training and validation loss of one run.</summary>
    public static GenericChart Of(TrainingHistory history, string name = "", LossMetric metric = LossMetric.BinaryCrossEntropy) =>
        Of([(name, history)], metric);

    /// <summary>Training and validation loss of several runs on one chart.</summary>
    public static GenericChart Of(params (string Name, TrainingHistory History)[] runs) => Of(runs, LossMetric.BinaryCrossEntropy);

    /// <summary>
    /// Training and validation loss of several runs on one chart;
    /// <paramref name="validationOnly"/> leaves out the training curves.
    /// </summary>
    public static GenericChart Of(IEnumerable<(string Name, TrainingHistory History)> runs, LossMetric metric,
        bool validationOnly = false, string? title = null)
    {
        var list = runs.ToList();
        if (list.Count == 0) throw new ArgumentException("Give at least one training history.", nameof(runs));
        var traces = new List<Trace>();
        for (var i = 0; i < list.Count; i++)
        {
            var (name, history) = list[i];
            var colour = Palette[i % Palette.Length];
            var prefix = string.IsNullOrWhiteSpace(name) ? "" : name + " ";
            if (!validationOnly)
                traces.Add(Curve(prefix + "train", history, e => metric == LossMetric.BinaryCrossEntropy ? e.TrainLoss : e.TrainMse, colour, "solid", name));
            traces.Add(Curve(prefix + "validation", history,
                e => metric == LossMetric.BinaryCrossEntropy ? e.ValidationLoss : e.ValidationMse, colour, "dash", name));
        }
        var names = string.Join(" and ", list.Select(r => r.Name).Where(n => !string.IsNullOrWhiteSpace(n)));
        var defaultTitle = (validationOnly ? "Validation " : "Training and validation ") +
                           (metric == LossMetric.BinaryCrossEntropy ? "loss" : "mean squared error") +
                           (names.Length > 0 ? " — " + names : "");
        return Chart(traces, EpochLayout(title ?? defaultTitle, AxisTitle(metric), list.Max(r => r.History.Epochs.Count)));
    }

    /// <summary>
    /// The gap between two runs, epoch by epoch: <paramref name="minuend"/>'s
    /// validation figure minus <paramref name="subtrahend"/>'s, over the epochs both have.
    /// </summary>
    public static GenericChart Gap((string Name, TrainingHistory History) minuend, (string Name, TrainingHistory History) subtrahend,
        LossMetric metric = LossMetric.BinaryCrossEntropy)
    {
        var gap = Gaps(minuend.History, subtrahend.History, metric);
        var name = $"{minuend.Name} − {subtrahend.Name}";
        var trace = Trace("scatter",
            ("name", name),
            ("mode", "lines+markers"),
            ("x", gap.Select(g => g.Epoch).ToArray()),
            ("y", gap.Select(g => Math.Round(g.Gap, 6)).ToArray()),
            ("line", Object(("color", Palette[3]))),
            ("fill", "tozeroy"),
            ("hovertemplate", "epoch %{x}: %{y:.4f}<extra>" + name + "</extra>"));
        return Chart([trace], EpochLayout($"Gap in validation {(metric == LossMetric.BinaryCrossEntropy ? "loss" : "MSE")}: {name}",
            "difference in " + AxisTitle(metric), gap.Count));
    }

    /// <summary>One loss per batch, in the order the batches ran: what an opened training loop can record and an epoch history cannot.</summary>
    public static GenericChart Batches(IReadOnlyList<double> losses, string name = "loss per batch")
    {
        var trace = Trace("scatter",
            ("name", name),
            ("mode", "lines"),
            ("x", Enumerable.Range(1, losses.Count).ToArray()),
            ("y", losses.Select(l => Math.Round(l, 6)).ToArray()),
            ("line", Object(("color", Palette[0]))),
            ("hovertemplate", "batch %{x}: %{y:.4f}<extra></extra>"));
        return Chart([trace], Layout(
            ("title", Title(name)),
            ("width", 760),
            ("height", 440),
            ("xaxis", Object(("title", Title("batch")), ("tickformat", "d"))),
            ("yaxis", Object(("title", Title("loss"))))));
    }

    /// <summary>The epoch-by-epoch validation gap that <see cref="Gap"/> draws.</summary>
    public static IReadOnlyList<(int Epoch, double Gap)> Gaps(TrainingHistory minuend, TrainingHistory subtrahend,
        LossMetric metric = LossMetric.BinaryCrossEntropy)
    {
        double Value(EpochRecord e) => metric == LossMetric.BinaryCrossEntropy ? e.ValidationLoss : e.ValidationMse;
        var other = subtrahend.Epochs.ToDictionary(e => e.Epoch);
        return minuend.Epochs.Where(e => other.ContainsKey(e.Epoch))
            .Select(e => (e.Epoch, Value(e) - Value(other[e.Epoch]))).ToList();
    }

    private static string AxisTitle(LossMetric metric) =>
        metric == LossMetric.BinaryCrossEntropy ? "binary cross-entropy" : "mean squared error";

    private static Trace Curve(string name, TrainingHistory history, Func<EpochRecord, double> value, string colour, string dash, string group) =>
        Trace("scatter",
            ("name", name),
            ("legendgroup", group),
            ("mode", "lines+markers"),
            ("x", history.Epochs.Select(e => e.Epoch).ToArray()),
            ("y", history.Epochs.Select(e => Math.Round(value(e), 6)).ToArray()),
            ("line", Object(("color", colour), ("dash", dash))),
            ("hovertemplate", "epoch %{x}: %{y:.4f}<extra>" + name + "</extra>"));

    // Whole epochs only: one tick per epoch for short runs, plotly's choice beyond.
    private static Layout EpochLayout(string title, string yTitle, int epochs) =>
        Layout(
            ("title", Title(title)),
            ("width", 760),
            ("height", 440),
            ("hovermode", "x unified"),
            ("xaxis", Object(("title", Title("epoch")), ("tickformat", "d"), ("dtick", epochs <= 20 ? 1 : null))),
            ("yaxis", Object(("title", Title(yTitle)))));
}
