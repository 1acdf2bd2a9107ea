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

    /// <summary>The chart as its interactive view draws it: the Plotly figure made from its description.</summary>
    private static JsonElement Figure(ChartDescription chart) => JsonDocument.Parse(GenericChart.toFigureJson(PlotlyChart.Of(chart))).RootElement;

    private static TrainingHistory History(params double[] validation) => new()
    {
        Epochs = validation.Select((v, i) => new EpochRecord(i + 1, v + 0.01, v, v / 10 + 0.001, v / 10, 1.5)).ToList(),
    };

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
        Assert.Equal([1.0, 2, 3], traces[1].GetProperty("x").EnumerateArray().Select(x => x.GetDouble()));
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
    public void DigitGridIsAPictureWithTitlesTheRightWayUp()
    {
        // Picture i is white in its top-left quarter and black elsewhere.
        using var images = zeros(4, 1, 28, 28);
        images[.., .., ..14, ..14] = tensor(1f);

        var grid = DigitGrid.Of([DigitGrid.Row("input", images, 3), DigitGrid.Row("decoded", images, 3)], ["7", "2", "1"], "A grid");

        Assert.Equal(["input", "decoded"], grid.Rows.Select(r => r.Title));
        Assert.Equal(3, grid.Columns);
        using var bitmap = SkiaSharp.SKBitmap.Decode(grid.Png());
        Assert.Equal(grid.Size(), (bitmap.Width, bitmap.Height));
        var (x, y, size) = grid.Cell(1, 2);
        Assert.Equal(255, bitmap.GetPixel(x + size / 4, y + size / 4).Red); // top-left quarter: white
        Assert.Equal(0, bitmap.GetPixel(x + 3 * size / 4, y + 3 * size / 4).Red); // bottom-right: black
        // Row titles on the left of each row, labels and title above the first row: ink where the text is.
        Assert.True(Ink(bitmap, 0, y, x, y + size) > 20, "no row title drawn");
        var (_, top, _) = grid.Cell(0, 0);
        Assert.True(Ink(bitmap, x, top - 18, x + size, top) > 5, "no label drawn");
        Assert.True(Ink(bitmap, 0, 0, bitmap.Width, 24) > 20, "no title drawn");
        Assert.Contains("labels 7 2 1", grid.ToString());
        Assert.StartsWith("<img class=\"image-restoration-figure\" src=\"data:image/png;base64,", grid.ToHtml());
    }

    /// <summary>How many dark pixels (text, on the white page) a region holds.</summary>
    private static int Ink(SkiaSharp.SKBitmap bitmap, int left, int top, int right, int bottom)
    {
        var count = 0;
        for (var y = Math.Max(0, top); y < Math.Min(bitmap.Height, bottom); y++)
        for (var x = Math.Max(0, left); x < Math.Min(bitmap.Width, right); x++)
            if (bitmap.GetPixel(x, y).Red < 128) count++;
        return count;
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

        var reconstructions = DigitGrid.Reconstructions(model, images, labels, 4);
        Assert.Equal(["input", "encoded", "decoded"], reconstructions.Rows.Select(r => r.Title));
        Assert.Equal(["7", "2", "1", "0"], reconstructions.ColumnTitles);
        Assert.Equal(9, reconstructions.Rows[1].Images[0].Length); // an 8x4x4 code, tiled

        using var noisy = new GaussianNoise(0.5).ApplyOnce(images, 43);
        var denoising = DigitGrid.Denoising(model, noisy, images, labels, 3);
        Assert.Equal(["noisy input", "cleaned", "original"], denoising.Rows.Select(r => r.Title));

        using var masked = new SquareMask(8).ApplyOnce(images, 43);
        var restorations = DigitGrid.Restorations(model, masked, images, labels, 2, "square-mask-8: degraded, restored and original");
        Assert.Equal(["degraded", "restored", "original"], restorations.Rows.Select(r => r.Title));
        Assert.Contains("square-mask-8", restorations.Title);

        var degradations = DigitGrid.Degradations(images, [new GaussianNoise(0.5), new SaltAndPepper(0.2), new RandomMask(0.2)], 2);
        Assert.Equal(["original", "gaussian-0.5", "salt-and-pepper-0.2", "mask-0.2"], degradations.Rows.Select(r => r.Title));
        Assert.All(degradations.Rows, r => Assert.Equal(2, r.Images.Count));
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
        var html = Table.Of([new LayerSummary("conv1", "Conv2d", "(None, 16, 28, 28)", 4385), new LayerSummary("a<b", "ReLU", "", 0)]).ToHtml();

        Assert.Contains("<th style=\"text-align:left\">Layer</th><th style=\"text-align:left\">Type</th>", html);
        Assert.Contains("<td style=\"text-align:right\">4,385</td>", html);
        Assert.Contains("a&lt;b", html);
        Assert.Equal(2, html.Split("<tr>").Length - 2); // header row + two rows
        Assert.Equal("0.09235", Table.Format(0.0923456));
    }
}
