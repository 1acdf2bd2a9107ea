using System.Text.RegularExpressions;
using ImageRestoration.Charts;
using ImageRestoration.Configuration;
using ImageRestoration.Data;
using ImageRestoration.Evaluation;
using ImageRestoration.Studies;
using ImageRestoration.Models;
using ImageRestoration.Notebooks;
using ImageRestoration.NotebookRunner;
using ImageRestoration.Training;
using SkiaSharp;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

/// <summary>What each library object shows as in a notebook (the HTML its registered formatter writes).</summary>
public sealed partial class NotebookDisplayTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public NotebookDisplayTests() => TorchRuntime.Initialize();

    public void Dispose() => temp.Dispose();

    private static TrainingHistory History(params double[] validation) => new()
    {
        Epochs = validation.Select((v, i) => new EpochRecord(i + 1, v + 0.01, v, v / 10, v / 10, 1.5)).ToList(),
    };

    /// <summary>The PNG pictures inside an output's HTML, decoded.</summary>
    private static List<SKBitmap> Pictures(string html) =>
        PicturePattern().Matches(html).Select(m => SKBitmap.Decode(Convert.FromBase64String(m.Groups[1].Value))).ToList();

    /// <summary>The spread of grey levels in a picture: 0 for a blank one.</summary>
    private static double Spread(SKBitmap bitmap)
    {
        var values = new List<double>();
        for (var y = 0; y < bitmap.Height; y += 2)
        for (var x = 0; x < bitmap.Width; x += 2)
        {
            var c = bitmap.GetPixel(x, y);
            values.Add((c.Red + c.Green + c.Blue) / 3.0);
        }
        var mean = values.Average();
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }

    [Fact]
    public void ATrainingHistoryShowsItsLossChartAsAPictureAndAnInteractiveChart()
    {
        var history = History(0.2, 0.15, 0.12, 0.11);

        var html = NotebookDisplay.Html(history);

        var picture = Assert.Single(Pictures(html));
        var described = LossChart.Of(history);
        Assert.Equal((described.Width, described.Height), (picture.Width, picture.Height));
        Assert.True(Spread(picture) > 10, "the chart's picture is blank");
        // The training curve's blue (#1f77b4) is drawn.
        Assert.Contains(Enumerable.Range(0, picture.Width * picture.Height).Select(i => picture.GetPixel(i % picture.Width, i / picture.Width)),
            c => Math.Abs(c.Red - 0x1f) < 12 && Math.Abs(c.Green - 0x77) < 12 && Math.Abs(c.Blue - 0xb4) < 12);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("\"name\":\"validation\"", html);
        // No script from a CDN (the picture's base64 left out: its letters can spell anything).
        Assert.DoesNotContain("cdn", Regex.Replace(html, "base64,[A-Za-z0-9+/=]+", ""), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("require.js", html);
        Assert.Contains("A training history with no epoch yet.", NotebookDisplay.Html(new TrainingHistory()));
    }

    [Fact]
    public void PlotlyJsGoesOutOnceAndTheRunnerTakesItOutOfExecutedCopies()
    {
        var first = ChartHtml.NotebookOutput(LossChart.Of(History(0.2, 0.1)));
        var second = ChartHtml.NotebookOutput(LossChart.Of(History(0.3, 0.2)));

        Assert.Equal(ChartHtml.PlotlyJsMarker, CellOutputs.PlotlyJsMarker);
        Assert.DoesNotContain(ChartHtml.PlotlyJsMarker, second); // once per process: at most the first carries it
        foreach (var html in new[] { first, second })
        {
            var stripped = CellOutputs.WithoutPlotlyJs(html);
            Assert.DoesNotContain(ChartHtml.PlotlyJsMarker, stripped);
            Assert.True(stripped.Length < 200_000, $"an output without plotly.js weighs {stripped.Length} characters");
            Assert.Single(Pictures(stripped));
        }
    }

    [Fact]
    public void AnImageDatasetAndAnImageBatchShowAsDigitGrids()
    {
        TinyMnist.Write(temp.Path, train: 3, test: 12);
        using var test = ImageDataset.Load(temp.Path, DatasetSplit.Test);

        var grid = Assert.Single(Pictures(NotebookDisplay.Html(test)));
        var expected = DigitGrid.Digits(test.Images, test.Labels, 10);
        Assert.Equal(expected.Size().Width, grid.Width);
        Assert.True(Spread(grid) > 10);
        Assert.Contains("the first 10 of 12", NotebookDisplay.Html(test));

        Assert.True(NotebookDisplay.IsImageBatch(test.Images));
        Assert.Single(Pictures(NotebookDisplay.Html(test.Images)));
        using var notPictures = arange(12, ScalarType.Float32);
        Assert.False(NotebookDisplay.IsImageBatch(notPictures));
        Assert.StartsWith("<pre>", NotebookDisplay.Html(notPictures));
        using var outOfRange = test.Images * 10; // the tiny set's pixels reach 65/255
        Assert.False(NotebookDisplay.IsImageBatch(outOfRange));
    }

    [Fact]
    public void AModelAndItsSummaryShowTheLayerTable()
    {
        using var model = new Autoencoder();

        var fromModel = NotebookDisplay.Html(model);
        var fromSummary = NotebookDisplay.Html(ModelSummary.Of(model));

        Assert.Equal(fromSummary, fromModel);
        Assert.StartsWith("<table>", fromModel);
        Assert.Contains("Total params: 4,385", fromModel);
        Assert.Equal(ModelSummary.Of(model).Layers.Count + 1, Regex.Matches(fromModel, "<tr>").Count); // header + one row per layer
    }

    [Fact]
    public void AStudyTableShowsItsTableAndItsChart()
    {
        StudyRow Row(string method, RestorerKind kind, double psnr) =>
            new() { Method = method, Kind = kind, Degradation = "gaussian-0.5", Psnr = psnr, Ssim = psnr / 30 };
        var table = new StudyTable
        {
            Study = Study.Baselines, Title = "Baselines", Configuration = new ExperimentConfiguration(),
            Rows = [Row("noisy input", RestorerKind.Input, 12), Row("median 3x3", RestorerKind.Baseline, 15), Row("autoencoder", RestorerKind.Model, 18)],
        };

        var html = NotebookDisplay.Html(table);

        Assert.StartsWith("<table>", html);
        Assert.Contains("median 3x3", html);
        var chart = Assert.Single(Pictures(html));
        var described = StudyChart.Of(table);
        Assert.Equal((described.Width, described.Height), (chart.Width, chart.Height));
        Assert.True(Spread(chart) > 10);
        // The model's bar is orange (#ff7f0e).
        Assert.Contains(Enumerable.Range(0, chart.Width * chart.Height).Select(i => chart.GetPixel(i % chart.Width, i / chart.Width)),
            c => c.Red > 240 && Math.Abs(c.Green - 0x7f) < 12 && c.Blue < 30);
    }

    [Fact]
    public void AConfigurationShowsItsKeysAndValues()
    {
        var configuration = new ExperimentConfiguration().With("epochs=7");

        var html = NotebookDisplay.Html(configuration);

        Assert.StartsWith("<table>", html);
        Assert.Matches("<td[^>]*>epochs</td><td[^>]*>7</td>", html);
        Assert.Matches("<td[^>]*>batchSize</td><td[^>]*>128</td>", html);
    }

    [Fact]
    public void AnExperimentResultShowsACardWithItsFiguresChartAndGrid()
    {
        TinyMnist.Write(temp.Path, train: 6, test: 4);
        var configuration = new ExperimentConfiguration().With($"dataDirectory={temp.Path}", $"logDirectory={temp.File("runs")}", "picturesShown=3");
        using var train = ImageDataset.Load(temp.Path, DatasetSplit.Train);
        using var test = ImageDataset.Load(temp.Path, DatasetSplit.Test);
        manual_seed(1);
        var model = new Autoencoder();
        using var result = new ExperimentResult(configuration, model, History(0.3, 0.25), train, test, RunFolder.For(configuration));

        var html = NotebookDisplay.Html(result);

        Assert.Contains($"<h4 style=\"margin:0 0 6px 0\">{RunName.Of(configuration)}</h4>", html);
        Assert.Contains("2 epochs on 6 pictures", html);
        Assert.Contains("validation loss 0.2500", html);
        var pictures = Pictures(html);
        Assert.Equal(2, pictures.Count); // the loss chart and the input / encoded / decoded grid
        Assert.All(pictures, p => Assert.True(Spread(p) > 5));
    }

    [Fact]
    public void OutsideAKernelNothingIsRegisteredAndTrainingProgressIsText()
    {
        Assert.Equal(0, NotebookDisplay.Register());
        var configuration = new ExperimentConfiguration().With("epochs=2", "verbosity=2");
        Assert.IsNotType<LiveTrainingProgress>(NotebookProfile.Progress(configuration));

        // The live view's state, and its text fallback when no kernel shows it.
        using var lines = new StringWriter();
        var live = new LiveTrainingProgress(2, "clean", lines);
        live.Batch(1, 5, 10, 0.3, 640, TimeSpan.FromSeconds(1));
        Assert.Contains("<progress value=\"5\" max=\"10\"", live.Html);
        live.Epoch(new EpochRecord(1, 0.3, 0.28, 0.03, 0.028, 2), 10, 1280);
        Assert.Single(Pictures(live.Html));
        live.Epoch(new EpochRecord(2, 0.2, 0.19, 0.02, 0.019, 2), 10, 1280);
        Assert.Contains("done: epoch 2/2", live.Html);
        Assert.Contains("Epoch 2/2", lines.ToString());
        // One chart per figure: the finished run's chart is the one the notebook shows next, not also this output.
        Assert.Empty(Pictures(live.Html));
        Assert.DoesNotContain("Plotly.newPlot", live.Html);
    }

    [Fact]
    public void TheLiveChartIsTitledWithTheRunThatTrains()
    {
        // A study trains several runs with one progress: each chart carries the name of the run that trains, not the first one's.
        var live = new LiveTrainingProgress(2, "clean-seed42-eb2a3c48");
        live.Begin("unet-denoising-gaussian-0.5-seed42-0a1b2c3d", 3, new TrainingHistory());
        live.Batch(1, 1, 10, 0.5, 128, TimeSpan.FromSeconds(0.2));
        live.Epoch(new EpochRecord(1, 0.4, 0.38, 0.04, 0.038, 2), 10, 1280);

        Assert.Equal("unet-denoising-gaussian-0.5-seed42-0a1b2c3d", live.Run);
        Assert.Contains("<code>unet-denoising-gaussian-0.5-seed42-0a1b2c3d: epoch 1/3,", live.Html);
        Assert.Contains("alt=\"Training and validation loss — unet-denoising-gaussian-0.5-seed42-0a1b2c3d\"", live.Html);
        Assert.DoesNotContain("clean-seed42", live.Html);
        Assert.Single(Pictures(live.Html)); // one loss chart of one epoch, not the previous run's epochs too

        // A resumed run begins with the epochs it has: its chart continues them.
        var resumed = new TrainingHistory { Epochs = [new EpochRecord(1, 0.4, 0.38, 0.04, 0.038, 2)] };
        live.Begin("blur-1.5-seed42-11223344", 3, resumed);
        live.Epoch(new EpochRecord(2, 0.3, 0.29, 0.03, 0.029, 2), 10, 1280);
        Assert.Contains("Training and validation loss — blur-1.5-seed42-11223344", live.Html);
        Assert.Contains("epoch 2/3", live.Html);
    }

    [Fact]
    public void ExperimentsTellTheProgressWhichRunTrains()
    {
        TinyMnist.Write(temp.Path, train: 6, test: 4);
        var configuration = new ExperimentConfiguration().With($"dataDirectory={temp.Path}", $"logDirectory={temp.File("runs")}", "epochs=1", "batchSize=4");
        var progress = new RecordingProgress();
        using var result = Experiment.Run(configuration, progress);
        Assert.Equal([(RunName.Of(result.Configuration), 1)], progress.Begun);
    }

    private sealed class RecordingProgress() : TrainingProgress(null, 0, 1, false)
    {
        public List<(string Run, int Epochs)> Begun { get; } = [];

        public override void Begin(string run, int runEpochs, TrainingHistory history)
        {
            base.Begin(run, runEpochs, history);
            Begun.Add((run, runEpochs));
        }
    }

    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex PicturePattern();
}
