using System.Globalization;
using ImageRestoration.Evaluation;
using ImageRestoration.Studies;
using ImageRestoration.Training;

namespace ImageRestoration.Notebooks;

/// <summary>One conclusion of the presentation, the figures of this run that bear on it, and whether they bear it out.</summary>
public sealed record Conclusion(string Statement, string Evidence, bool Holds);

/// <summary>
/// How strict the presentation's conclusions are checked: the overfitting
/// gap allowed, as a share of the training loss, and the reconstruction error
/// allowed, as a share of the error of drawing the average digit every time.
/// </summary>
public sealed record ConclusionTolerances(double OverfitGapShare, double ReconstructionErrorShare);

/// <summary>
/// The quality targets of the evaluation: the PSNR margin (dB) of the model
/// trained on noise over the best classical filter, of the best capacity-study
/// model over the seed, and the clean model's validation BCE after at least
/// so many epochs.
/// </summary>
public sealed record QualityTargets(double ModelOverBestFilterDb, double BestModelOverSeedDb, int CleanEpochs, double CleanValidationBce);

/// <summary>The presentation's conclusions, checked against the figures of the runs at hand rather than quoted.</summary>
public static class Conclusions
{
    /// <summary>
    /// Checks each conclusion on a clean run and a denoising run (their
    /// histories and their scores on the test pictures, see <see cref="Figures.Score"/>).
    /// </summary>
    public static IReadOnlyList<Conclusion> Check(TrainingHistory clean, TrainingHistory denoising, TestScore cleanScore,
        TestScore denoisingScore, ConclusionTolerances tolerances)
    {
        var gap = tolerances.OverfitGapShare;
        var code = tolerances.ReconstructionErrorShare;
        var c = Figures.Summary("clean", clean);
        var d = Figures.Summary("denoising", denoising);
        var (cleanEpochs, denoisingEpochs) = (EpochsStudy.Of("clean", clean), EpochsStudy.Of("denoising", denoising));
        return
        [
            new("Training works: the autoencoder's validation loss falls as it trains.",
                $"clean validation BCE {F(c.FirstValidationLoss)} after epoch 1, {F(c.FinalValidationLoss)} after epoch {c.Epochs}; " +
                $"denoising {F(d.FirstValidationLoss)} -> {F(d.FinalValidationLoss)}",
                c.Epochs == 1 || c.FinalValidationLoss < c.FirstValidationLoss),
            new("The model does not overfit: the validation loss follows the training loss, and no rise of it lasts.",
                $"final validation - training BCE: clean {F(c.ValidationMinusTrain)}, denoising {F(d.ValidationMinusTrain)} " +
                $"(it holds while that gap is at most {P(100 * gap, "0.#")}% of the training loss); epochs where the validation loss rose: " +
                $"clean {cleanEpochs.Spikes.Count}, denoising {denoisingEpochs.Spikes.Count}, lasting: " +
                $"{(cleanEpochs.Overfits || denoisingEpochs.Overfits ? "yes" : "none")}",
                c.ValidationMinusTrain <= gap * c.FinalTrainLoss && d.ValidationMinusTrain <= gap * d.FinalTrainLoss &&
                !cleanEpochs.Overfits && !denoisingEpochs.Overfits),
            new("An 8x4x4 code (128 numbers for 784 pixels) is enough to redraw a digit.",
                $"reconstruction MSE {F(cleanScore.OutputMse)} against {F(cleanScore.MeanImageMse)} for drawing the average digit every time " +
                $"(it holds below {P(100 * code, "0.#")}% of that)",
                cleanScore.OutputMse < code * cleanScore.MeanImageMse),
            new("The denoising autoencoder cleans noisy digits: its outputs are closer to the originals than its inputs.",
                $"MSE to the originals: noisy inputs {F(denoisingScore.InputMse)}, cleaned outputs {F(denoisingScore.OutputMse)}",
                denoisingScore.OutputMse < denoisingScore.InputMse),
            new("Denoising is harder than reconstruction: its loss stays above the clean model's.",
                $"final validation BCE: denoising {F(d.FinalValidationLoss)}, clean {F(c.FinalValidationLoss)} " +
                $"(gap {F(d.FinalValidationLoss - c.FinalValidationLoss)})",
                d.FinalValidationLoss > c.FinalValidationLoss),
        ];
    }

    /// <summary>
    /// The quality targets of the evaluation, checked on a baselines study and
    /// a capacity study: the model trained on noise against the best classical
    /// filter, the best model of the capacity study against the seed, and the
    /// clean model's validation loss after at least 20 epochs.
    /// </summary>
    public static IReadOnlyList<Conclusion> CheckTargets(StudyTable baselines, StudyTable capacity, QualityTargets targets)
    {
        var noisy = baselines.Rows.LastOrDefault(r => r.Kind == RestorerKind.Model && r.TrainedOn == r.Degradation)
                    ?? throw new ArgumentException("The baselines study has no model trained on its degradation.", nameof(baselines));
        var bestBaseline = baselines.Rows.Where(r => r.Kind == RestorerKind.Baseline && r.Degradation == noisy.Degradation).MaxBy(r => r.Psnr)
                           ?? throw new ArgumentException("The baselines study has no baseline.", nameof(baselines));
        var clean = baselines.Rows.LastOrDefault(r => r.TrainedOn == "clean" && r.Degradation == "none")
                    ?? throw new ArgumentException("The baselines study has no clean model scored on clean images.", nameof(baselines));
        var models = capacity.Rows.Where(r => r.Kind == RestorerKind.Model).ToList();
        var seed = models.FirstOrDefault(r => r.Model == Models.ModelCatalog.Seed)
                   ?? throw new ArgumentException("The capacity study has no seed model.", nameof(capacity));
        var best = models.MaxBy(r => r.Psnr)!;
        return
        [
            new($"Trained on {noisy.Degradation}, the autoencoder restores at least {P(targets.ModelOverBestFilterDb, "0.##")} dB better than the best classical filter.",
                $"PSNR {P(noisy.Psnr)} dB against {P(bestBaseline.Psnr)} dB for {bestBaseline.Method} ({SignedNumber.Format(noisy.Psnr - bestBaseline.Psnr, 2)} dB)",
                noisy.Psnr >= bestBaseline.Psnr + targets.ModelOverBestFilterDb),
            new($"More capacity helps: the best model of the capacity study is at least {P(targets.BestModelOverSeedDb, "0.##")} dB above the seed.",
                $"{best.Model} {P(best.Psnr)} dB against seed {P(seed.Psnr)} dB ({SignedNumber.Format(best.Psnr - seed.Psnr, 2)} dB)",
                best.Psnr >= seed.Psnr + targets.BestModelOverSeedDb),
            new($"Trained clean for at least {targets.CleanEpochs} epochs, the seed reaches a validation BCE of at most {P(targets.CleanValidationBce, "0.0###")}.",
                $"validation BCE {F(clean.Bce)} after {clean.Epochs} epochs",
                clean.Epochs >= targets.CleanEpochs && clean.Bce <= targets.CleanValidationBce),
        ];
    }

    private static string P(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
