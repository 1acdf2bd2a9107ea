using ImageRestoration.Configuration;
using ImageRestoration.Training;

namespace ImageRestoration.Charts;

/// <summary>
/// The pictures of a finished run as standalone pages in its run folder, for
/// people without a notebook: <c>loss.html</c> (training and validation loss
/// per epoch; plotly.js is written beside it, so it opens offline while they
/// stay together) and <c>digits.png</c> (input / encoded / decoded digits, or
/// noisy / cleaned / original ones).
/// </summary>
public static class RunPages
{
    public const string LossPage = "loss.html";
    public const string DigitsPicture = "digits.png";

    /// <summary>Writes the page and the picture and returns their paths.</summary>
    public static IReadOnlyList<string> Save(ExperimentResult result) =>
    [
        ChartHtml.Save(LossChart.Of(result.History, RunName.Of(result.Configuration)), result.RunFolder.File(LossPage), title: "Loss per epoch"),
        Digits(result).Save(result.RunFolder.File(DigitsPicture)),
    ];

    /// <summary>The run's digit grid: noisy / cleaned / original for a denoising run, input / encoded / decoded otherwise.</summary>
    public static DigitGridFigure Digits(ExperimentResult result) =>
        result.Configuration.Mode == TrainingMode.Denoising
            ? DigitGrid.Denoising(result)
            : DigitGrid.Reconstructions(result.Model, result.Test.Images, result.Test.Labels, result.Configuration.PicturesShown);
}
