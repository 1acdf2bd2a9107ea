using ImageRestoration.Charts;
using ImageRestoration.NotebookRunner;
using ImageRestoration.Notebooks;
using ImageRestoration.Training;
using SkiaSharp;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

/// <summary>
/// An exported notebook page looked at as a person would: opened offline in
/// headless Chromium, every figure found, laid out with a size, and not blank
/// on the screenshot.
/// </summary>
public sealed class ExportedPageTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public ExportedPageTests() => TorchRuntime.Initialize();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void AnExportedPageShowsEveryFigureOfflineInChromium()
    {
        var chromium = PageCheck.FindChromium() ?? throw new InvalidOperationException(
            "This test needs Chromium: bash .devcontainer/install-prerequisites.sh installs Debian's chromium package.");
        var history = new TrainingHistory { Epochs = Enumerable.Range(1, 6).Select(e => new EpochRecord(e, 0.1 + 0.1 / e, 0.1 + 0.09 / e, 0.01, 0.01, 2)).ToList() };
        manual_seed(3);
        using var digits = rand(10, 1, 28, 28) * (rand(10, 1, 28, 28) > 0.6);
        var notebook = NotebookPageTests.Notebook(
            NotebookPageTests.Markdown("# Clean training\n\nThe loss per epoch, then the digits."),
            NotebookPageTests.Code("clean.History", 1, NotebookPageTests.Display("text/html", CellOutputs.WithoutPlotlyJs(NotebookDisplay.Html(history)))),
            NotebookPageTests.Code("DigitGrid.Of(...)", 2, NotebookPageTests.Display("text/html",
                DigitGrid.Of([DigitGrid.Row("input", digits), DigitGrid.Row("decoded", digits)], Enumerable.Range(0, 10).Select(i => $"{i}"), "Digits").ToHtml())));
        var page = NotebookPage.Write(notebook, temp.File("04-clean-training.ipynb"));

        var result = PageCheck.Run(page, chromium);

        Assert.Equal(2, result.Figures.Count);
        Assert.Empty(result.ExternalRequests);
        Assert.All(result.Figures, f => Assert.True(f.NonBlank, $"figure {f.Index + 1} ({f.Alt}) is blank: {f}"));
        Assert.Contains("Training and validation loss", result.Figures[0].Alt);

        // The screenshot, region by region: what a reader sees where each figure is laid out.
        var screenshot = temp.File("page.png");
        PageCheck.Screenshot(page, chromium, screenshot, result.Height);
        using var bitmap = SKBitmap.Decode(screenshot);
        Assert.NotNull(bitmap);
        foreach (var figure in result.Figures)
        {
            var spread = Spread(bitmap, (int)figure.X, (int)figure.Y, (int)figure.Width, (int)figure.Height);
            Assert.True(spread >= PageCheck.MinimumSpread, $"figure {figure.Index + 1} looks blank on the screenshot (spread {spread:F1})");
        }
        // A region of plain page has no spread: the measure tells a figure from a blank area.
        Assert.True(Spread(bitmap, bitmap.Width - 40, 0, 30, 30) < 1);
    }

    /// <summary>Standard deviation of the grey levels in a region of the screenshot.</summary>
    private static double Spread(SKBitmap bitmap, int x, int y, int width, int height)
    {
        var values = new List<double>();
        for (var j = Math.Max(0, y); j < Math.Min(bitmap.Height, y + height); j++)
        for (var i = Math.Max(0, x); i < Math.Min(bitmap.Width, x + width); i++)
        {
            var c = bitmap.GetPixel(i, j);
            values.Add((c.Red + c.Green + c.Blue) / 3.0);
        }
        if (values.Count == 0) return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }
}
