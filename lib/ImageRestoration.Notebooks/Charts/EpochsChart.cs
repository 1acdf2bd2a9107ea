using ImageRestoration.Studies;
using Plotly.NET;
using static ImageRestoration.Charts.PlotlyObjects;

namespace ImageRestoration.Charts;

/// <summary>The charts of an <see cref="EpochsStudy"/>: PSNR against epochs, and the loss curves with the spikes marked.</summary>
public static class EpochsChart
{
    /// <summary>Validation PSNR per epoch of each run, with a marker where extra epochs stop paying.</summary>
    public static GenericChart Psnr(params EpochsStudy[] studies)
    {
        var traces = new List<Trace>();
        for (var i = 0; i < studies.Length; i++)
        {
            var study = studies[i];
            var colour = LossChart.Palette[i % LossChart.Palette.Length];
            traces.Add(Trace("scatter", ("name", study.Name), ("mode", "lines"), ("legendgroup", study.Name),
                ("x", study.Rows.Select(r => r.Epoch).ToArray()),
                ("y", study.Rows.Select(r => Math.Round(r.ValidationPsnr, 3)).ToArray()),
                ("line", Object(("color", colour))),
                ("hovertemplate", "epoch %{x}: %{y:.2f} dB<extra>" + study.Name + "</extra>")));
            if (study.PayoffEpoch is { } payoff)
            {
                var row = study.Rows.First(r => r.Epoch == payoff);
                var label = $"{study.Name}: the next {study.Window} epochs gain under {study.Threshold * 100:0.#}%";
                traces.Add(Trace("scatter", ("name", label), ("mode", "markers"), ("legendgroup", study.Name),
                    ("x", new[] { payoff }), ("y", new[] { Math.Round(row.ValidationPsnr, 3) }),
                    ("marker", Object(("color", colour), ("size", 12), ("symbol", "diamond"))),
                    ("hovertemplate", "epoch %{x}: %{y:.2f} dB<extra>" + label + "</extra>")));
            }
        }
        return Chart(traces, Layout(
            ("title", Title("Validation PSNR against epochs")),
            ("width", 760), ("height", 440), ("hovermode", "closest"),
            ("xaxis", Object(("title", Title("epoch")), ("tickformat", "d"))),
            ("yaxis", Object(("title", Title("PSNR of the mean validation MSE (dB)"))))));
    }

    /// <summary>Training and validation loss of one run, each epoch whose validation loss rose marked in red.</summary>
    public static GenericChart Spikes(EpochsStudy study)
    {
        var colour = LossChart.Palette[0];
        Trace Line(string name, Func<EpochStudyRow, double> value, string dash) =>
            Trace("scatter", ("name", name), ("mode", "lines"),
                ("x", study.Rows.Select(r => r.Epoch).ToArray()),
                ("y", study.Rows.Select(r => Math.Round(value(r), 6)).ToArray()),
                ("line", Object(("color", colour), ("dash", dash))),
                ("hovertemplate", "epoch %{x}: %{y:.4f}<extra>" + name + "</extra>"));
        var spikes = study.Rows.Where(r => r.Spike).ToList();
        var marked = Trace("scatter", ("name", $"validation loss rose ({spikes.Count})"), ("mode", "markers"),
            ("x", spikes.Select(r => r.Epoch).ToArray()),
            ("y", spikes.Select(r => Math.Round(r.ValidationLoss, 6)).ToArray()),
            ("marker", Object(("color", LossChart.Palette[3]), ("size", 10), ("symbol", "triangle-up"))),
            ("hovertemplate", "epoch %{x}: %{y:.4f}<extra>validation loss rose</extra>"));
        return Chart([Line("train", r => r.TrainLoss, "solid"), Line("validation", r => r.ValidationLoss, "dash"), marked], Layout(
            ("title", Title($"Spikes in the validation loss — {study.Name}")),
            ("width", 760), ("height", 440), ("hovermode", "x unified"),
            ("xaxis", Object(("title", Title("epoch")), ("tickformat", "d"))),
            ("yaxis", Object(("title", Title("binary cross-entropy"))))));
    }
}
