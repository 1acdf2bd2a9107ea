using ImageRestoration.Studies;

namespace ImageRestoration.Charts;

/// <summary>The charts of an <see cref="EpochsAnalysis"/>: PSNR against epochs, and the loss curves with the spikes marked.</summary>
public static class EpochsChart
{
    /// <summary>
    /// Validation PSNR per epoch of each run, with a marker where extra epochs
    /// stop paying. Decibels are a ratio's logarithm: the axis spans the
    /// values, not zero.
    /// </summary>
    public static ChartDescription Psnr(params EpochsAnalysis[] studies)
    {
        var series = new List<ChartSeries>();
        var longest = studies.Max(s => s.Rows.Count);
        // Longest first, so that a shorter run (a class run beside the recorded 100 epochs, whose first
        // epochs it may repeat) is drawn on top, with markers, instead of hidden under the longer curve.
        foreach (var (study, i) in studies.Select((s, i) => (s, i)).OrderByDescending(p => p.s.Rows.Count))
        {
            var colour = LossChart.Palette[i % LossChart.Palette.Length];
            series.Add(new ChartSeries
            {
                Name = study.Name, Kind = study.Rows.Count < longest ? SeriesKind.LinesAndMarkers : SeriesKind.Lines,
                LegendGroup = study.Name, Colour = colour, HoverDecimals = 2,
                X = study.Rows.Select(r => (double)r.Epoch).ToArray(),
                Y = study.Rows.Select(r => (double?)r.ValidationPsnr).ToArray(),
            });
            if (study.PayoffEpoch is not { } payoff) continue;
            var row = study.Rows.First(r => r.Epoch == payoff);
            series.Add(new ChartSeries
            {
                Name = $"{study.Name}: the next {study.Window} epochs gain under {study.Threshold * 100:0.#}%",
                Kind = SeriesKind.Markers, Marker = MarkerShape.Diamond, MarkerSize = 12, Colour = colour, HoverDecimals = 2,
                X = [payoff], Y = [row.ValidationPsnr],
            });
        }
        return LossChart.EpochChart("Validation PSNR against epochs", "PSNR of the mean validation MSE (dB)", series, includeZero: false);
    }

    /// <summary>Training and validation loss of one run, each epoch whose validation loss rose marked in red.</summary>
    public static ChartDescription Spikes(EpochsAnalysis study)
    {
        var colour = LossChart.Palette[0];
        ChartSeries Line(string name, Func<EpochAnalysisRow, double> value, LineDash dash) => new()
        {
            Name = name, Kind = SeriesKind.Lines, Colour = colour, Dash = dash,
            X = study.Rows.Select(r => (double)r.Epoch).ToArray(),
            Y = study.Rows.Select(r => (double?)value(r)).ToArray(),
        };
        var spikes = study.Rows.Where(r => r.Spike).ToList();
        var marked = new ChartSeries
        {
            Name = $"validation loss rose ({spikes.Count})", Kind = SeriesKind.Markers, Marker = MarkerShape.TriangleUp, MarkerSize = 10,
            Colour = LossChart.Palette[3],
            X = spikes.Select(r => (double)r.Epoch).ToArray(),
            Y = spikes.Select(r => (double?)r.ValidationLoss).ToArray(),
        };
        return LossChart.EpochChart($"Spikes in the validation loss — {study.Name}", "binary cross-entropy",
            [Line("train", r => r.TrainLoss, LineDash.Solid), Line("validation", r => r.ValidationLoss, LineDash.Dashed), marked]);
    }
}
