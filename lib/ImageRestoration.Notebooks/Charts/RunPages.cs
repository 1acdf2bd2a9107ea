using ImageRestoration.Configuration;
using ImageRestoration.Training;

namespace ImageRestoration.Charts;

/// <summary>
/// The pictures of a finished run as standalone pages in its run folder, for
/// people without a notebook: <c>loss.html</c> (training and validation loss
/// per epoch) and <c>digits.html</c> (input / encoded / decoded digits, or
/// noisy / cleaned / original ones). plotly.js is written beside them, so the
/// pages open offline while they stay in that folder.
/// </summary>
public static class RunPages
{
    public const string LossPage = "loss.html";
    public const string DigitsPage = "digits.html";

    /// <summary>Writes both pages and returns their paths.</summary>
    public static IReadOnlyList<string> Save(ExperimentResult result)
    {
        var configuration = result.Configuration;
        var folder = result.RunFolder;
        var digits = configuration.Mode == TrainingMode.Denoising
            ? DigitGrid.Denoising(result)
            : DigitGrid.Reconstructions(result.Model, result.Test.Images, result.Test.Labels, configuration.PicturesShown);
        return
        [
            ChartHtml.Save(LossChart.Of(result.History, Experiment.RunName(configuration)), folder.File(LossPage), title: "Loss per epoch"),
            ChartHtml.Save(digits, folder.File(DigitsPage), title: Experiment.RunName(configuration)),
        ];
    }
}
