using System.Globalization;
using ImageRestoration.Training;

namespace ImageRestoration.Notebooks;

/// <summary>One conclusion of the presentation, the figures of this run that bear on it, and whether they bear it out.</summary>
public sealed record Conclusion(string Statement, string Evidence, bool Holds);

/// <summary>The presentation's conclusions, checked against the figures of the runs at hand rather than quoted.</summary>
public static class Conclusions
{
    /// <summary>
    /// Checks each conclusion on a clean run and a denoising run (their
    /// histories and their scores on the test pictures, see <see cref="Figures.Score"/>).
    /// </summary>
    public static IReadOnlyList<Conclusion> Check(TrainingHistory clean, TrainingHistory denoising, RestorationScore cleanScore,
        RestorationScore denoisingScore)
    {
        var c = Figures.Summary("clean", clean);
        var d = Figures.Summary("denoising", denoising);
        return
        [
            new("Training works: the autoencoder's validation loss falls as it trains.",
                $"clean validation BCE {F(c.FirstValidationLoss)} after epoch 1, {F(c.FinalValidationLoss)} after epoch {c.Epochs}; " +
                $"denoising {F(d.FirstValidationLoss)} -> {F(d.FinalValidationLoss)}",
                c.Epochs == 1 || c.FinalValidationLoss < c.FirstValidationLoss),
            new("The model does not overfit: the validation loss follows the training loss.",
                $"final validation - training BCE: clean {F(c.ValidationMinusTrain)}, denoising {F(d.ValidationMinusTrain)} " +
                "(it holds while that gap is at most 5% of the training loss)",
                c.ValidationMinusTrain <= 0.05 * c.FinalTrainLoss && d.ValidationMinusTrain <= 0.05 * d.FinalTrainLoss),
            new("An 8x4x4 code (128 numbers for 784 pixels) is enough to redraw a digit.",
                $"reconstruction MSE {F(cleanScore.OutputMse)} against {F(cleanScore.MeanImageMse)} for drawing the average digit every time",
                cleanScore.OutputMse < 0.5 * cleanScore.MeanImageMse),
            new("The denoising autoencoder cleans noisy digits: its outputs are closer to the originals than its inputs.",
                $"MSE to the originals: noisy inputs {F(denoisingScore.InputMse)}, cleaned outputs {F(denoisingScore.OutputMse)}",
                denoisingScore.OutputMse < denoisingScore.InputMse),
            new("Denoising is harder than reconstruction: its loss stays above the clean model's.",
                $"final validation BCE: denoising {F(d.FinalValidationLoss)}, clean {F(c.FinalValidationLoss)} " +
                $"(gap {F(d.FinalValidationLoss - c.FinalValidationLoss)})",
                d.FinalValidationLoss > c.FinalValidationLoss),
        ];
    }

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
