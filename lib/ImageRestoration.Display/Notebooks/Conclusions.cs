using System.Globalization;
using ImageRestoration.Evaluation;
using ImageRestoration.Studies;
using ImageRestoration.Training;

namespace ImageRestoration.Notebooks;

/// <summary>One quality target, the figures of this run that bear on it, and whether they meet it.</summary>
public sealed record Conclusion(string Statement, string Evidence, bool Holds);

/// <summary>
/// The quality targets of the evaluation: the PSNR margin (dB) of the model
/// trained on noise over the best classical filter, of the best capacity-study
/// model over the presentation's model, and the clean model's validation BCE after at least
/// so many epochs.
/// </summary>
public sealed record QualityTargets(double ModelOverBestFilterDb, double BestModelOverPresentationDb, int CleanEpochs, double CleanValidationBce);

/// <summary>The quality targets of notebook 07, checked against the figures of the runs at hand rather than quoted (the presentation's own claims: <see cref="PresentationClaims"/>).</summary>
public static class Conclusions
{
    /// <summary>
    /// The quality targets of the evaluation, checked on a baselines study and
    /// a capacity study: the model trained on noise against the best classical
    /// filter, the best model of the capacity study against the presentation's model, and the
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
        var presentation = models.FirstOrDefault(r => r.Model == Models.ModelCatalog.Presentation)
                           ?? throw new ArgumentException("The capacity study has no presentation model.", nameof(capacity));
        var best = models.MaxBy(r => r.Psnr)!;
        return
        [
            new($"Trained on {noisy.Degradation}, the autoencoder restores at least {P(targets.ModelOverBestFilterDb, "0.##")} dB better than the best classical filter.",
                $"PSNR {P(noisy.Psnr)} dB against {P(bestBaseline.Psnr)} dB for {bestBaseline.Method} ({SignedNumber.Format(noisy.Psnr - bestBaseline.Psnr, 2)} dB)",
                noisy.Psnr >= bestBaseline.Psnr + targets.ModelOverBestFilterDb),
            new($"More capacity helps: the best model of the capacity study is at least {P(targets.BestModelOverPresentationDb, "0.##")} dB above the presentation's model.",
                $"{best.Model} {P(best.Psnr)} dB against presentation {P(presentation.Psnr)} dB ({SignedNumber.Format(best.Psnr - presentation.Psnr, 2)} dB)",
                best.Psnr >= presentation.Psnr + targets.BestModelOverPresentationDb),
            new($"Trained clean for at least {targets.CleanEpochs} epochs, the presentation's model reaches a validation BCE of at most {P(targets.CleanValidationBce, "0.0###")}.",
                $"validation BCE {F(clean.Bce)} after {clean.Epochs} epochs",
                clean.Epochs >= targets.CleanEpochs && clean.Bce <= targets.CleanValidationBce),
        ];
    }

    private static string P(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
