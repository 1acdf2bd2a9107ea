using System.Text.Json;
using ImageRestoration.Charts;
using ImageRestoration.Configuration;
using ImageRestoration.Evaluation;
using ImageRestoration.Notebooks;
using ImageRestoration.Studies;
using Plotly.NET;

namespace ImageRestoration.Tests;

/// <summary>The study charts from hand-made tables: which traces, on which panel, with which values.</summary>
public sealed class StudyChartTests
{
    /// <summary>The chart as its interactive view draws it: the Plotly figure made from its description.</summary>
    private static JsonElement Figure(ChartDescription chart) => JsonDocument.Parse(GenericChart.toFigureJson(PlotlyChart.Of(chart))).RootElement;

    private static List<JsonElement> Traces(JsonElement figure) => figure.GetProperty("data").EnumerateArray().ToList();

    private static List<string> Strings(JsonElement trace, string property) =>
        trace.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToList();

    private static List<double?> Numbers(JsonElement trace, string property) =>
        trace.GetProperty(property).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? null : (double?)e.GetDouble()).ToList();

    private static StudyRow Row(string method, RestorerKind kind, string degradation, double psnr, double ssim, double? level = null) => new()
    {
        Method = method, Kind = kind, Degradation = degradation, Psnr = psnr, Ssim = ssim, NoiseLevel = level, Images = 10,
    };

    private static StudyTable Table(string study, params StudyRow[] rows) => new()
    {
        Study = study, Title = study, Configuration = new ExperimentConfiguration(), Rows = [.. rows],
    };

    [Fact]
    public void BaselinesChartHasAPsnrAndAnSsimBarPerMethodOnOneDegradation()
    {
        var table = Table(Study.Baselines,
            Row("degraded input", RestorerKind.Input, "gaussian-0.5", 9.4, 0.41),
            Row("median 3x3", RestorerKind.Baseline, "gaussian-0.5", 14.2, 0.55),
            Row("presentation trained on gaussian-0.5", RestorerKind.Model, "gaussian-0.5", 17.1, 0.72),
            Row("presentation trained on clean", RestorerKind.Model, "none", 20.1, 0.86));

        var traces = Traces(Figure(StudyChart.Of(table)));

        Assert.Equal(2, traces.Count);
        Assert.All(traces, t => Assert.Equal(["degraded input", "median 3x3", "presentation trained on gaussian-0.5"], Strings(t, "y")));
        Assert.Equal([9.4, 14.2, 17.1], Numbers(traces[0], "x"));
        Assert.Equal([0.41, 0.55, 0.72], Numbers(traces[1], "x"));
        Assert.Equal(("x", "y"), (traces[0].GetProperty("xaxis").GetString(), traces[0].GetProperty("yaxis").GetString()));
        Assert.Equal(("x2", "y2"), (traces[1].GetProperty("xaxis").GetString(), traces[1].GetProperty("yaxis").GetString()));
        var colours = Strings(traces[0].GetProperty("marker"), "color");
        Assert.Equal(3, colours.Distinct().Count()); // input, baseline and model each in their own colour

        var clean = Traces(Figure(StudyChart.Methods(table, "none")));
        Assert.Equal([20.1], Numbers(clean[0], "x"));
        Assert.Throws<ArgumentException>(() => StudyChart.Methods(table, "blur-1.5"));
    }

    [Fact]
    public void NoiseSweepChartHasALinePerMethodAndMeasureInLevelOrder()
    {
        var table = Table(Study.NoiseSweep,
            Row("degraded input", RestorerKind.Input, "gaussian-0.5", 9.4, 0.41, 0.5),
            Row("model", RestorerKind.Model, "gaussian-0.5", 17.1, 0.72, 0.5),
            Row("degraded input", RestorerKind.Input, "gaussian-0.1", 22.7, 0.79, 0.1),
            Row("model", RestorerKind.Model, "gaussian-0.1", 18.1, 0.78, 0.1));

        var traces = Traces(Figure(StudyChart.Of(table)));

        Assert.Equal(["degraded input", "model", "degraded input", "model"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal([0.1, 0.5], Numbers(traces[0], "x"));
        Assert.Equal([22.7, 9.4], Numbers(traces[0], "y"));
        Assert.Equal([0.78, 0.72], Numbers(traces[3], "y"));
        Assert.Equal("y2", traces[3].GetProperty("yaxis").GetString());
        Assert.False(traces[2].GetProperty("showlegend").GetBoolean()); // one legend entry per method
        Assert.Equal(["degraded input", "model"], StudyChart.Of(table).LegendEntries().Select(e => e.Name));
    }

    [Fact]
    public void DegradationChartPicksTheBestBaselineOfEachDegradation()
    {
        var table = Table(Study.Degradations,
            Row("degraded input", RestorerKind.Input, "mask-0.2", 12, 0.5),
            Row("median 3x3", RestorerKind.Baseline, "mask-0.2", 15, 0.6),
            Row("gaussian blur σ=1", RestorerKind.Baseline, "mask-0.2", 13, 0.7),
            Row("presentation trained on mask-0.2", RestorerKind.Model, "mask-0.2", 19, 0.8),
            Row("degraded input", RestorerKind.Input, "blur-1.5", 14, 0.6),
            Row("median 3x3", RestorerKind.Baseline, "blur-1.5", 13, 0.5),
            Row("presentation trained on blur-1.5", RestorerKind.Model, "blur-1.5", 16, 0.7));

        var traces = Traces(Figure(StudyChart.Of(table)));

        Assert.Equal(6, traces.Count); // input, best baseline, model; PSNR and SSIM each
        var baselinePsnr = traces.Single(t => t.GetProperty("name").GetString() == "best baseline" && t.GetProperty("yaxis").GetString() == "y");
        Assert.Equal(["mask-0.2", "blur-1.5"], Strings(baselinePsnr, "x"));
        Assert.Equal([15, 13], Numbers(baselinePsnr, "y"));
        Assert.Equal(["median 3x3", "median 3x3"], Strings(baselinePsnr, "customdata"));
        Assert.Equal("group", Figure(StudyChart.Of(table)).GetProperty("layout").GetProperty("barmode").GetString());
    }

    [Fact]
    public void CapacityChartShowsTestAndTrainingQualityParametersAndEpochTime()
    {
        var table = Table(Study.Capacity,
            Row("degraded input", RestorerKind.Input, "gaussian-0.5", 9.4, 0.41),
            Row("presentation trained on gaussian-0.5", RestorerKind.Model, "gaussian-0.5", 17.1, 0.72) with
                { Model = "presentation", Parameters = 4385, EpochSeconds = 22, TrainPsnr = 17.2, TrainSsim = 0.73 },
            Row("unet trained on gaussian-0.5", RestorerKind.Model, "gaussian-0.5", 20.5, 0.85) with
                { Model = "unet", Parameters = 30000, EpochSeconds = 60, TrainPsnr = 21.0, TrainSsim = 0.86 });

        var traces = Traces(Figure(StudyChart.Of(table)));

        Assert.Equal(6, traces.Count);
        Assert.All(traces, t => Assert.Equal(["presentation", "unet"], Strings(t, "x")));
        Assert.Equal([17.1, 20.5], Numbers(traces[0], "y"));
        Assert.Equal([17.2, 21.0], Numbers(traces[1], "y"));
        Assert.Equal([4385, 30000], Numbers(traces[4], "y"));
        Assert.Equal([22, 60], Numbers(traces[5], "y"));
        Assert.Equal(["y", "y", "y2", "y2", "y3", "y4"], traces.Select(t => t.GetProperty("yaxis").GetString()));
        Assert.Throws<ArgumentException>(() => StudyChart.Capacity(Table(Study.Capacity, table.Rows[0])));
    }

    [Fact]
    public void StudyTableAsHtmlHasTheMarkdownsColumns()
    {
        var table = Table(Study.Baselines,
            Row("a<b", RestorerKind.Baseline, "gaussian-0.5", 14.2, 0.55),
            Row("presentation trained on gaussian-0.5", RestorerKind.Model, "gaussian-0.5", 17.1, 0.72) with { Parameters = 4385 });

        var html = ImageRestoration.Charts.Table.Of(table).ToHtml();

        Assert.Contains("<th>Method</th><th>Degradation</th><th>Parameters</th><th>PSNR (dB)</th><th>SSIM</th>", html);
        Assert.DoesNotContain("<th>Noise level</th>", html); // no row has one
        Assert.Contains("<td>a&lt;b</td>", html);
        Assert.Contains("<td>4,385</td><td>17.10</td><td>0.7200</td>", html);
        Assert.Equal(2, html.Split("<tr>").Length - 2);
    }

    [Fact]
    public void QualityTargetsAreCheckedOnTheStudiesFigures()
    {
        var baselines = Table(Study.Baselines,
            Row("median 3x3", RestorerKind.Baseline, "gaussian-0.5", 14.2, 0.55),
            Row("presentation trained on gaussian-0.5", RestorerKind.Model, "gaussian-0.5", 17.1, 0.72) with { TrainedOn = "gaussian-0.5" },
            Row("presentation trained on clean", RestorerKind.Model, "none", 20.1, 0.86) with { TrainedOn = "clean", Epochs = 20, Bce = 0.0961 });
        var capacity = Table(Study.Capacity,
            Row("presentation trained on gaussian-0.5", RestorerKind.Model, "gaussian-0.5", 17.1, 0.72) with { Model = "presentation" },
            Row("unet trained on gaussian-0.5", RestorerKind.Model, "gaussian-0.5", 18.9, 0.80) with { Model = "unet" });

        var stated = new QualityTargets(ModelOverBestFilterDb: 2, BestModelOverPresentationDb: 2, CleanEpochs: 20, CleanValidationBce: 0.099);
        var targets = Conclusions.CheckTargets(baselines, capacity, stated);

        Assert.Equal([true, false, true], targets.Select(t => t.Holds));
        Assert.Contains("17.10 dB against 14.20 dB for median 3x3 (+2.90 dB)", targets[0].Evidence);
        Assert.Contains("unet 18.90 dB against presentation 17.10 dB (+1.80 dB)", targets[1].Evidence);
        Assert.Contains("0.0961 after 20 epochs", targets[2].Evidence);
        Assert.Contains("at least 2 dB better", targets[0].Statement);
        Assert.Contains("at least 20 epochs", targets[2].Statement);
        Assert.Contains("at most 0.099.", targets[2].Statement);
        // The thresholds are the caller's: a 1.5 dB capacity target is met by the same figures.
        Assert.True(Conclusions.CheckTargets(baselines, capacity, stated with { BestModelOverPresentationDb = 1.5 })[1].Holds);

        var shortRun = Table(Study.Baselines, [baselines.Rows[0], baselines.Rows[1] with { Psnr = 13.8 }, baselines.Rows[2] with { Epochs = 2 }]);
        var missed = Conclusions.CheckTargets(shortRun, capacity, stated);
        Assert.Contains("(-0.40 dB)", missed[0].Evidence);
        Assert.False(missed[2].Holds); // the BCE target is for 20 epochs or more
        Assert.Throws<ArgumentException>(() => Conclusions.CheckTargets(Table(Study.Baselines, baselines.Rows[0]), capacity, stated));
    }
}
