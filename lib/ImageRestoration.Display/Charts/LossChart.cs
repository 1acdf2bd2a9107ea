using ImageRestoration.Training;

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
    public static ChartDescription Of(TrainingHistory history, string name = "", LossMetric metric = LossMetric.BinaryCrossEntropy) =>
        Of([(name, history)], metric);

    /// <summary>Training and validation loss of several runs on one chart.</summary>
    public static ChartDescription Of(params (string Name, TrainingHistory History)[] runs) => Of(runs, LossMetric.BinaryCrossEntropy);

    /// <summary>
    /// Training and validation loss of several runs on one chart;
    /// <paramref name="validationOnly"/> leaves out the training curves.
    /// </summary>
    public static ChartDescription Of(IEnumerable<(string Name, TrainingHistory History)> runs, LossMetric metric,
        bool validationOnly = false, string? title = null)
    {
        var list = runs.ToList();
        if (list.Count == 0) throw new ArgumentException("Give at least one training history.", nameof(runs));
        var series = new List<ChartSeries>();
        for (var i = 0; i < list.Count; i++)
        {
            var (name, history) = list[i];
            var colour = Palette[i % Palette.Length];
            var prefix = string.IsNullOrWhiteSpace(name) ? "" : name + " ";
            if (!validationOnly)
                series.Add(Curve(prefix + "train", history, e => metric == LossMetric.BinaryCrossEntropy ? e.TrainLoss : e.TrainMse, colour, LineDash.Solid));
            series.Add(Curve(prefix + "validation", history,
                e => metric == LossMetric.BinaryCrossEntropy ? e.ValidationLoss : e.ValidationMse, colour, LineDash.Dashed));
        }
        var names = string.Join(" and ", list.Select(r => r.Name).Where(n => !string.IsNullOrWhiteSpace(n)));
        var defaultTitle = (validationOnly ? "Validation " : "Training and validation ") +
                           (metric == LossMetric.BinaryCrossEntropy ? "loss" : "mean squared error") +
                           (names.Length > 0 ? " — " + names : "");
        return EpochChart(title ?? defaultTitle, AxisTitle(metric), series);
    }

    /// <summary>
    /// The gap between two runs, epoch by epoch: <paramref name="minuend"/>'s
    /// validation figure minus <paramref name="subtrahend"/>'s, over the epochs both have.
    /// </summary>
    public static ChartDescription Gap((string Name, TrainingHistory History) minuend, (string Name, TrainingHistory History) subtrahend,
        LossMetric metric = LossMetric.BinaryCrossEntropy)
    {
        var gap = Gaps(minuend.History, subtrahend.History, metric);
        var name = $"{minuend.Name} − {subtrahend.Name}";
        var series = new ChartSeries
        {
            Name = name,
            X = gap.Select(g => (double)g.Epoch).ToArray(),
            Y = gap.Select(g => (double?)g.Gap).ToArray(),
            Colour = Palette[3],
            FillToZero = true,
        };
        return EpochChart($"Gap in validation {(metric == LossMetric.BinaryCrossEntropy ? "loss" : "MSE")}: {name}", "difference in " + AxisTitle(metric), [series]);
    }

    /// <summary>One loss per batch, in the order the batches ran: what an opened training loop can record and an epoch history cannot.</summary>
    public static ChartDescription Batches(IReadOnlyList<double> losses, string name = "loss per batch") => new()
    {
        Title = name,
        Panels =
        [
            new ChartPanel
            {
                X = new ChartAxis { Title = "batch", WholeNumbers = true },
                Y = new ChartAxis { Title = "loss", IncludeZero = true },
                Series = [new ChartSeries { Name = name, Kind = SeriesKind.Lines, X = Enumerable.Range(1, losses.Count).Select(i => (double)i).ToArray(),
                    Y = losses.Select(l => (double?)l).ToArray(), Colour = Palette[0], HoverName = "" }],
            },
        ],
    };

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

    private static ChartSeries Curve(string name, TrainingHistory history, Func<EpochRecord, double> value, string colour, LineDash dash) => new()
    {
        Name = name,
        X = history.Epochs.Select(e => (double)e.Epoch).ToArray(),
        Y = history.Epochs.Select(e => (double?)value(e)).ToArray(),
        Colour = colour,
        Dash = dash,
    };

    /// <summary>
    /// Losses (and their differences) against whole epochs. The loss axis
    /// reaches zero: a loss is never below it, and a small change then looks small.
    /// </summary>
    internal static ChartDescription EpochChart(string title, string yTitle, IReadOnlyList<ChartSeries> series, bool includeZero = true) => new()
    {
        Title = title,
        Panels =
        [
            new ChartPanel
            {
                X = new ChartAxis { Title = "epoch", WholeNumbers = true },
                Y = new ChartAxis { Title = yTitle, IncludeZero = includeZero },
                Series = series,
            },
        ],
    };
}
