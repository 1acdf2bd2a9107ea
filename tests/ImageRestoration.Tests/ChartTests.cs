using System.Text.Json;
using ImageRestoration.Charts;
using ImageRestoration.Degradations;
using ImageRestoration.Models;
using ImageRestoration.Training;
using Plotly.NET;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

public sealed class ChartTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public ChartTests() => TorchRuntime.Initialize();

    public void Dispose() => temp.Dispose();

    private static JsonElement Figure(GenericChart chart) => JsonDocument.Parse(GenericChart.toFigureJson(chart)).RootElement;

    private static TrainingHistory History(params double[] validation) => new()
    {
        Epochs = validation.Select((v, i) => new EpochRecord(i + 1, v + 0.01, v, v / 10 + 0.001, v / 10, 1.5)).ToList(),
    };

    private static List<string> Annotations(JsonElement figure) =>
        figure.GetProperty("layout").GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()!).ToList();

    [Fact]
    public void LossChartHasATrainingAndAValidationCurvePerRun()
    {
        var clean = History(0.2, 0.15, 0.12);
        var noisy = History(0.25, 0.2, 0.18);

        var figure = Figure(LossChart.Of(("clean", clean), ("denoising", noisy)));

        var traces = figure.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["clean train", "clean validation", "denoising train", "denoising validation"],
            traces.Select(t => t.GetProperty("name").GetString()));
        Assert.All(traces, t => Assert.Equal("scatter", t.GetProperty("type").GetString()));
        Assert.Equal([1, 2, 3], traces[1].GetProperty("x").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal([0.2, 0.15, 0.12], traces[1].GetProperty("y").EnumerateArray().Select(y => y.GetDouble()));
        Assert.Equal("dash", traces[1].GetProperty("line").GetProperty("dash").GetString());
        Assert.Equal("epoch", figure.GetProperty("layout").GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());
        Assert.Contains("clean and denoising", figure.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void LossChartCanShowValidationOnlyAndMse()
    {
        var figure = Figure(LossChart.Of([("clean", History(0.2, 0.1))], LossMetric.MeanSquaredError, validationOnly: true));

        var trace = Assert.Single(figure.GetProperty("data").EnumerateArray());
        Assert.Equal("clean validation", trace.GetProperty("name").GetString());
        Assert.Equal([0.02, 0.01], trace.GetProperty("y").EnumerateArray().Select(y => y.GetDouble()));
        Assert.Equal("mean squared error", figure.GetProperty("layout").GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void GapIsTheDifferenceOfValidationLossesOverCommonEpochs()
    {
        var gaps = LossChart.Gaps(History(0.3, 0.25, 0.2), History(0.2, 0.15));
        Assert.Equal([1, 2], gaps.Select(g => g.Epoch));
        Assert.All(gaps, g => Assert.Equal(0.1, g.Gap, 9));

        var trace = Assert.Single(Figure(LossChart.Gap(("denoising", History(0.3, 0.25)), ("clean", History(0.2, 0.15)))).GetProperty("data").EnumerateArray());
        Assert.Equal("denoising − clean", trace.GetProperty("name").GetString());
    }

    [Fact]
    public void DigitGridHasOneHeatmapPerPictureTheRightWayUp()
    {
        // Picture i has value i/10 at its top-left pixel and 1 at its bottom-right.
        using var images = zeros(4, 1, 28, 28);
        for (var i = 0; i < 4; i++)
        {
            images[i, 0, 0, 0] = tensor(i / 10f);
            images[i, 0, 27, 27] = tensor(1f);
        }

        var figure = Figure(DigitGrid.Of([DigitGrid.Row("input", images, 3), DigitGrid.Row("decoded", images, 3)], ["7", "2", "1"], "A grid"));

        var traces = figure.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(6, traces.Count);
        Assert.All(traces, t =>
        {
            Assert.Equal("heatmap", t.GetProperty("type").GetString());
            var z = t.GetProperty("z").EnumerateArray().ToList();
            Assert.Equal(28, z.Count);
            Assert.All(z, row => Assert.Equal(28, row.GetArrayLength()));
        });
        Assert.Equal(0.2, traces[2].GetProperty("z")[0][0].GetDouble(), 6); // row 0 of the picture is z[0]
        Assert.Equal(1.0, traces[2].GetProperty("z")[27][27].GetDouble(), 6);
        Assert.Equal(["x", "x2", "x3", "x4", "x5", "x6"], traces.Select(t => t.GetProperty("xaxis").GetString()));

        var layout = figure.GetProperty("layout");
        foreach (var axis in new[] { "yaxis", "yaxis2", "yaxis6" })
        {
            Assert.Equal("reversed", layout.GetProperty(axis).GetProperty("autorange").GetString()); // top row of the picture on top
            Assert.False(layout.GetProperty(axis).GetProperty("showticklabels").GetBoolean());
        }
        Assert.Equal("x6", layout.GetProperty("yaxis6").GetProperty("scaleanchor").GetString()); // square pixels
        Assert.Equal(["<b>input</b>", "<b>decoded</b>", "7", "2", "1"], Annotations(figure));
        Assert.Equal("A grid", layout.GetProperty("title").GetProperty("text").GetString());
        // Greyscale: black at 0, white at 1, on a fixed [0,1] scale.
        Assert.Equal("rgb(0,0,0)", traces[0].GetProperty("colorscale")[0][1].GetString());
        Assert.Equal("rgb(255,255,255)", traces[0].GetProperty("colorscale")[1][1].GetString());
        Assert.Equal(1.0, traces[0].GetProperty("zmax").GetDouble());
    }

    [Fact]
    public void CodesAreTiledChannelByChannelAndStretched()
    {
        using var codes = arange(2 * 8 * 4 * 4, ScalarType.Float32).reshape(2, 8, 4, 4);

        var row = DigitGrid.Row("encoded", codes, 10, scalePerPicture: true);

        Assert.Equal(2, row.Images.Count);
        var picture = row.Images[0];
        Assert.Equal(2 * 4 + 1, picture.Length); // two rows of four 4x4 channels, one empty pixel between
        Assert.All(picture, r => Assert.Equal(4 * 4 + 3, r.Length));
        Assert.Null(picture[4][0]);
        Assert.Equal(0.0, picture[0][0]);
        Assert.Equal(1.0, picture[8][18]); // the last channel's last value is the picture's maximum
    }

    [Fact]
    public void ModelFiguresShowTheRowsOfThePresentation()
    {
        manual_seed(1);
        using var model = new Autoencoder();
        using var images = rand(5, 1, 28, 28);
        byte[] labels = [7, 2, 1, 0, 4];

        var reconstructions = Figure(DigitGrid.Reconstructions(model, images, labels, 4));
        Assert.Equal(12, reconstructions.GetProperty("data").GetArrayLength());
        Assert.Equal(["<b>input</b>", "<b>encoded</b>", "<b>decoded</b>", "7", "2", "1", "0"], Annotations(reconstructions));
        Assert.Equal(9, reconstructions.GetProperty("data")[4].GetProperty("z").GetArrayLength()); // an 8x4x4 code, tiled

        using var noisy = new GaussianNoise(0.5).ApplyOnce(images, 43);
        var denoising = Figure(DigitGrid.Denoising(model, noisy, images, labels, 3));
        Assert.Equal(["<b>noisy input</b>", "<b>cleaned</b>", "<b>original</b>", "7", "2", "1"], Annotations(denoising));

        using var masked = new SquareMask(8).ApplyOnce(images, 43);
        var restorations = Figure(DigitGrid.Restorations(model, masked, images, labels, 2, "square-mask-8: degraded, restored and original"));
        Assert.Equal(["<b>degraded</b>", "<b>restored</b>", "<b>original</b>", "7", "2"], Annotations(restorations));
        Assert.Contains("square-mask-8", restorations.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());

        var degradations = Figure(DigitGrid.Degradations(images, [new GaussianNoise(0.5), new SaltAndPepper(0.2), new RandomMask(0.2)], 2));
        Assert.Equal(8, degradations.GetProperty("data").GetArrayLength());
        Assert.Equal(["<b>original</b>", "<b>gaussian-0.5</b>", "<b>salt-and-pepper-0.2</b>", "<b>mask-0.2</b>"], Annotations(degradations));
    }

    [Fact]
    public void ChartHtmlHoldsTheTracesAndTitles()
    {
        var chart = LossChart.Of(History(0.2, 0.1), "clean");

        var fragment = ChartHtml.Fragment(chart);
        Assert.Contains("Plotly.newPlot", fragment);
        Assert.Contains("\"name\":\"clean validation\"", fragment);
        Assert.Contains("Training and validation loss — clean", fragment);
    }

    [Fact]
    public void SavedPagesWorkOfflineWithPlotlyJsBesideOrInside()
    {
        var chart = LossChart.Of(History(0.2, 0.1), "clean");

        var page = ChartHtml.Save(chart, temp.File("loss.html"));
        var html = File.ReadAllText(page);
        Assert.Contains($"<script src=\"{ChartHtml.PlotlyJsFileName}\"", html);
        Assert.Contains("<title>loss</title>", html);
        var script = new FileInfo(temp.File(ChartHtml.PlotlyJsFileName));
        Assert.True(script.Length > 1_000_000, "plotly.js is written beside the page");
        Assert.StartsWith("/**", File.ReadAllText(script.FullName)[..3]);

        ChartHtml.Save(chart, temp.File("again.html")); // the copy beside is reused
        Assert.Equal(script.Length, new FileInfo(script.FullName).Length);

        var embedded = ChartHtml.Page(chart, PlotlyScript.Embedded, "Loss");
        Assert.True(embedded.Length > 1_000_000, "the embedded page carries plotly.js");
        Assert.DoesNotContain("<script src=", embedded);
        Assert.Contains("https://cdn.plot.ly/" + ChartHtml.PlotlyJsFileName, ChartHtml.Page(chart, PlotlyScript.Cdn));
    }

    [Fact]
    public void HtmlTableHasAColumnPerPropertyAndFormatsNumbers()
    {
        var html = HtmlTable.Of([new LayerSummary("conv1", "Conv2d", "(None, 16, 28, 28)", 4385), new LayerSummary("a<b", "ReLU", "", 0)]);

        Assert.Contains("<th style=\"text-align:left\">Layer</th><th style=\"text-align:left\">Type</th>", html);
        Assert.Contains("<td style=\"text-align:right\">4,385</td>", html);
        Assert.Contains("a&lt;b", html);
        Assert.Equal(2, html.Split("<tr>").Length - 2); // header row + two rows
        Assert.Equal("0.09235", HtmlTable.Format(0.0923456));
    }
}
