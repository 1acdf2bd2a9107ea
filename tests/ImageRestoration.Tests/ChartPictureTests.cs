using ImageRestoration.Charts;
using ImageRestoration.Configuration;
using ImageRestoration.Evaluation;
using ImageRestoration.Studies;
using ImageRestoration.Training;
using SkiaSharp;

namespace ImageRestoration.Tests;

/// <summary>
/// What the pictures of the charts look like where they are read: the legend
/// beside the data, value labels inside the plot area, axes that do not
/// magnify small changes, and differences written with one sign.
/// </summary>
public sealed class ChartPictureTests
{
    private static StudyRow Row(string method, RestorerKind kind, string degradation, double psnr, double ssim, double? level = null) => new()
    {
        Method = method, Kind = kind, Degradation = degradation, Psnr = psnr, Ssim = ssim, NoiseLevel = level, Images = 10,
    };

    private static StudyTable Table(string study, IEnumerable<StudyRow> rows) => new()
    {
        Study = study, Title = study, Configuration = new ExperimentConfiguration(), Rows = [.. rows],
    };

    private static TrainingHistory History(params double[] validation) => new()
    {
        Epochs = validation.Select((v, i) => new EpochRecord(i + 1, v + 0.01, v, v / 10, v / 10, 1.5)).ToList(),
    };

    // The baselines as the class run measured them: median 3x3 has the longest bars, whose labels were cut at the edge.
    private static StudyTable Baselines() => Table(Study.Baselines,
    [
        Row("degraded input", RestorerKind.Input, "gaussian-0.5", 9.38, 0.397),
        Row("gaussian blur σ=1", RestorerKind.Baseline, "gaussian-0.5", 12.30, 0.386),
        Row("median 3x3", RestorerKind.Baseline, "gaussian-0.5", 14.17, 0.524),
        Row("presentation trained on gaussian-0.5", RestorerKind.Model, "gaussian-0.5", 13.80, 0.368),
    ]);

    // The capacity study as the class run measured it: the U-Net's bars are the tallest, where the legend used to sit.
    private static StudyTable Capacity()
    {
        StudyRow Model(string model, double psnr, double ssim, long parameters, double seconds) =>
            Row($"{model} trained on gaussian-0.5", RestorerKind.Model, "gaussian-0.5", psnr, ssim) with
                { Model = model, Parameters = parameters, EpochSeconds = seconds, TrainPsnr = psnr + 0.1, TrainSsim = ssim + 0.01 };
        return Table(Study.Capacity, [Model("presentation", 13.80, 0.368, 4385, 4.9), Model("wide", 16.43, 0.647, 65921, 14.3),
            Model("unet-small", 18.9, 0.781, 10001, 8.2), Model("unet", 19.1, 0.795, 39585, 16.7)]);
    }

    private static StudyTable Sweep() => Table(Study.NoiseSweep, Enumerable.Range(1, 9).SelectMany(l => new[]
    {
        Row("degraded input", RestorerKind.Input, $"gaussian-{l / 10.0}", 24 - 2 * l, 0.8 - 0.07 * l, l / 10.0),
        Row("median 3x3", RestorerKind.Baseline, $"gaussian-{l / 10.0}", 22 - 1.3 * l, 0.8 - 0.05 * l, l / 10.0),
        Row("presentation trained on gaussian-0.5", RestorerKind.Model, $"gaussian-{l / 10.0}", 14 - 0.1 * l, 0.45 - 0.01 * l, l / 10.0),
    }));

    private static StudyTable Degradations() => Table(Study.Degradations, new[] { "gaussian-0.5", "mask-0.2", "square-mask-8" }.SelectMany((d, i) => new[]
    {
        Row("degraded input", RestorerKind.Input, d, 9 + 9 * i, 0.4 + 0.2 * i),
        Row("median 3x3", RestorerKind.Baseline, d, 14 + 3 * i, 0.52 + 0.15 * i),
        Row($"presentation trained on {d}", RestorerKind.Model, d, 13.6 + i, 0.36 + 0.1 * i),
    }));

    public static TheoryData<string> LegendCharts => ["loss", "sweep", "degradations", "capacity", "spikes"];

    private static ChartDescription Chart(string name) => name switch
    {
        "loss" => LossChart.Of(("clean", History(0.15, 0.12, 0.1)), ("denoising", History(0.19, 0.15, 0.13))),
        "sweep" => StudyChart.Of(Sweep()),
        "degradations" => StudyChart.Of(Degradations()),
        "capacity" => StudyChart.Of(Capacity()),
        _ => EpochsChart.Spikes(EpochsAnalysis.Of("denoising", History(0.2, 0.15, 0.16, 0.12), window: 1)),
    };

    [Theory]
    [MemberData(nameof(LegendCharts))]
    public void TheLegendStandsBesideTheDataNeverOverIt(string name)
    {
        var chart = Chart(name);

        var picture = ChartImage.Draw(chart);

        var legend = Assert.IsType<SKRect>(picture.Legend);
        Assert.All(picture.DataAreas, data => Assert.False(data.IntersectsWith(legend), $"the legend {legend} covers the data area {data}"));
        Assert.True(legend.Right <= picture.Width && legend.Bottom <= picture.Height, $"the legend {legend} leaves the picture");
        using var bitmap = SKBitmap.Decode(picture.Png);
        Assert.True(Ink(bitmap, legend) > 50, "no legend drawn");
        Assert.Equal(chart.LegendEntries().Count, (int)Math.Round(legend.Height / 20));
    }

    [Fact]
    public void AChartWithOneSeriesOrTheMethodsChartHasNoLegend()
    {
        Assert.Null(ChartImage.Draw(LossChart.Batches([0.3, 0.2, 0.1])).Legend);
        Assert.Null(ChartImage.Draw(StudyChart.Of(Baselines())).Legend); // its colours are explained in its subtitle
    }

    [Fact]
    public void ValueLabelsStayInsideThePlotArea()
    {
        foreach (var (chart, count) in new[] { (StudyChart.Of(Baselines()), 8), (StudyChart.Of(Capacity()), 16) })
        {
            var picture = ChartImage.Draw(chart);

            Assert.Equal(count, picture.Labels.Count);
            Assert.All(picture.Labels, label => Assert.Contains(picture.DataAreas, data => data.Contains(label)));
        }
    }

    [Fact]
    public void LongCategoryNamesStillGetTheirLabelsInside()
    {
        // A bar at the top of its range with a wide label: inside the bar's end rather than cut at the edge.
        var table = Table(Study.Baselines, [Row("a", RestorerKind.Baseline, "none", 1, 0.1), Row("b", RestorerKind.Model, "none", 123456.789, 0.99999)]);
        var chart = StudyChart.Methods(table) with { Width = 300 };

        var picture = ChartImage.Draw(chart);

        Assert.All(picture.Labels, label => Assert.Contains(picture.DataAreas, data => data.Contains(label)));
    }

    [Fact]
    public void AxesReachZeroForBarsLossesAndDifferencesButNotForDecibelsOverEpochs()
    {
        var gap = LossChart.Gap(("denoising", History(0.1337, 0.1320, 0.1305)), ("clean", History(0.1, 0.099, 0.0995)));
        Assert.Equal(0, gap.Panels[0].ValueRange()!.Value.Low); // a 0.0305 to 0.037 gap no longer fills the height
        Assert.Equal(0, LossChart.Of(History(0.2, 0.1)).Panels[0].ValueRange()!.Value.Low);
        Assert.All(StudyChart.Of(Capacity()).Panels, p => Assert.Equal(0, p.ValueRange()!.Value.Low));
        var capacity = StudyChart.Of(Capacity()).Panels[0];
        Assert.True(capacity.ValueRange()!.Value.High > 19.3, "room above the tallest bar for its label");
        Assert.Null(EpochsChart.Psnr(EpochsAnalysis.Of("clean", History(0.2, 0.1, 0.09), window: 1)).Panels[0].ValueRange());

        // The plotly view uses the same ranges.
        var figure = System.Text.Json.JsonDocument.Parse(Plotly.NET.GenericChart.toFigureJson(PlotlyChart.Of(gap))).RootElement;
        Assert.Equal(0, figure.GetProperty("layout").GetProperty("yaxis").GetProperty("range")[0].GetDouble());
    }

    [Fact]
    public void AShorterRunIsDrawnOverTheLongerOneItMayRepeat()
    {
        // A class run's first epochs can equal a recorded run's: it must not vanish under that curve.
        var classRun = EpochsAnalysis.Of("clean", History(0.2, 0.1), window: 1);
        var recorded = EpochsAnalysis.Of("clean, recorded", History(0.2, 0.1, 0.09, 0.085), window: 1);
        var series = EpochsChart.Psnr(classRun, recorded).Panels[0].Series;
        var shortIndex = series.ToList().FindIndex(s => s.Name == "clean");
        var longIndex = series.ToList().FindIndex(s => s.Name == "clean, recorded");
        Assert.True(shortIndex > longIndex, "the shorter run is drawn after (on top of) the longer one");
        Assert.Equal(SeriesKind.LinesAndMarkers, series[shortIndex].Kind);
        Assert.Equal(SeriesKind.Lines, series[longIndex].Kind);
        Assert.NotEqual(series[shortIndex].Colour, series[longIndex].Colour);
    }

    [Fact]
    public void DifferencesAreWrittenWithOneSign()
    {
        Assert.Equal("+0.52", SignedNumber.Format(0.5249, 2));
        Assert.Equal("-1.30", SignedNumber.Format(-1.3, 2));
        Assert.Equal("0.0000", SignedNumber.Format(-0.00001, 4)); // "+0.0000;-0.0000" wrote "-+0.0000"
        Assert.Equal("0.00", SignedNumber.Format(0.001, 2));

        var row = Row("presentation trained on gaussian-0.5", RestorerKind.Model, "gaussian-0.5", 13.8, 0.37) with
            { Model = "presentation", Bce = 0.14321, TrainBce = 0.143214, TrainPsnr = 13.8 - 0.00002 };
        var (headers, cells) = Table(Study.Capacity, [row]).Cells();
        Assert.Equal("0.0000", cells[0][headers.IndexOf("BCE gap")]);
        Assert.Equal("0.00", cells[0][headers.IndexOf("PSNR gap")]);
        Assert.DoesNotContain(cells[0], c => c.Contains("-+") || c.Contains("+-"));
    }

    /// <summary>How many dark pixels a region holds (text and swatches on the white page).</summary>
    private static int Ink(SKBitmap bitmap, SKRect region)
    {
        var count = 0;
        for (var y = (int)region.Top; y < Math.Min(bitmap.Height, (int)region.Bottom); y++)
        for (var x = (int)region.Left; x < Math.Min(bitmap.Width, (int)region.Right); x++)
            if (bitmap.GetPixel(x, y).Red < 160) count++;
        return count;
    }
}
