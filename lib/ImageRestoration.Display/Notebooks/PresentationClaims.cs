using System.Globalization;
using ImageRestoration.Configuration;
using ImageRestoration.Metrics;
using ImageRestoration.Models;
using ImageRestoration.Studies;
using ImageRestoration.Training;

namespace ImageRestoration.Notebooks;

/// <summary>What the figures say of a claim: it holds, it holds in part, or it does not hold.</summary>
internal enum Verdict { Holds, Partly, DoesNotHold }

/// <summary>
/// One claim of the presentation's evaluation, in its words, with the figures
/// of this profile's run and of the recorded 100-epoch run that bear on it,
/// the rule that turns them into a verdict, and the verdict.
/// </summary>
public sealed record Claim(string Section, string Presentation, string ThisRun, string Recorded, string Rule, string Verdict);

/// <summary>A clean and a denoising training of the presentation's model, with the window an <see cref="EpochsAnalysis"/> reads them with.</summary>
public sealed record ClaimRuns(string Name, TrainingHistory Clean, TrainingHistory Denoising, int Window = 10);

/// <summary>
/// The thresholds the verdicts are computed with, stated where the claims are checked:
/// <paramref name="PresentationLoss"/> is the presentation's "around 0.087", <paramref name="AroundShare"/> how far
/// from it "around" reaches (twice that is "partly"); <paramref name="InSyncShare"/> the largest validation-minus-training gap,
/// as a share of the training loss, that is "in sync"; <paramref name="SeveralSpikes"/> how many rises are "several";
/// <paramref name="GainDb"/> the PSNR gain (dB) that counts as an improvement or as restoration.
/// </summary>
public sealed record ClaimThresholds(double PresentationLoss, double AroundShare, double InSyncShare, int SeveralSpikes, double GainDb);

/// <summary>Two models trained with the same budget on the same noise: the presentation's and a bigger one.</summary>
public sealed record CapacityComparison(string Budget, string Presentation, long PresentationParameters, TrainingHistory PresentationHistory,
    string Bigger, long BiggerParameters, TrainingHistory BiggerHistory)
{
    /// <summary>
    /// The presentation's model against a bigger one, both trained (or
    /// reused) with the same configuration but the model: the capacity
    /// question of the presentation's conclusions, on one budget.
    /// </summary>
    public static CapacityComparison Of(ExperimentConfiguration configuration, string bigger, Func<ExperimentConfiguration, TrainingProgress>? progress = null,
        TextWriter? log = null)
    {
        var presentationConfiguration = configuration with { Model = ModelCatalog.Presentation };
        var biggerConfiguration = configuration with { Model = bigger };
        using var presentation = Experiment.LoadOrRun(presentationConfiguration, progress?.Invoke(presentationConfiguration), log);
        using var big = Experiment.LoadOrRun(biggerConfiguration, progress?.Invoke(biggerConfiguration), log);
        var budget = $"{configuration.Epochs} epochs on {presentation.Train.Count:N0} pictures";
        return new CapacityComparison(budget, ModelCatalog.Presentation, presentation.Model.parameters().Sum(p => p.numel()), presentation.History,
            bigger, big.Model.parameters().Sum(p => p.numel()), big.History);
    }
}

/// <summary>
/// The presentation's own evaluation, claim by claim, checked on this
/// profile's runs and on the recorded 100-epoch runs (<see cref="RecordedRuns"/>):
/// every figure is computed from the histories and scores passed in, every
/// verdict from those figures and the stated <see cref="ClaimThresholds"/>.
/// </summary>
public static class PresentationClaims
{
    /// <summary>Every claim, in the order of the presentation's evaluation.</summary>
    /// <param name="loopFiguresPerEpoch">How many losses per epoch the opened loop recorded (the one call records one).</param>
    public static IReadOnlyList<Claim> Check(ClaimRuns live, ClaimRuns recorded, TestScore denoisingScore, CapacityComparison capacity,
        int loopFiguresPerEpoch, ClaimThresholds thresholds)
    {
        var (l, r) = (Studies(live), Studies(recorded));
        return
        [
            Converges(l.Clean, r.Clean, thresholds),
            InSync("clean", "validation and training loss are in sync (small gap)", l.Clean, r.Clean, thresholds),
            NoOverfitting(l.Clean, r.Clean),
            InSync("noisy", "almost in sync", l.Denoising, r.Denoising, thresholds),
            SeveralSpikes(l.Denoising, r.Denoising, thresholds),
            OverfittingAtSomeEpochs(l.Denoising, r.Denoising),
            Complexity(capacity, thresholds),
            NotFarAway(l, r),
            Generalization(l, r, thresholds),
            HigherDimensionality(capacity, thresholds),
            Feasible(denoisingScore, r.Denoising, thresholds),
            Granularity(loopFiguresPerEpoch, live.Clean),
            CaseByCase(l, r),
        ];
    }

    /// <summary>"holds", "partly" or "does not hold".</summary>
    private static string Text(Verdict verdict) => verdict switch
    {
        Verdict.Holds => "holds",
        Verdict.Partly => "partly",
        _ => "does not hold",
    };

    /// <summary>The presentation's "around 0.087" set against the recorded clean run, and what the difference means, in sentences.</summary>
    public static string LossFinding(EpochsAnalysis recordedClean, ClaimThresholds t)
    {
        var last = recordedClean.Last;
        var off = Share(last.ValidationLoss, t.PresentationLoss);
        var lastWindow = recordedClean.Rows.LastOrDefault(r => r.GainOverNextWindow is not null);
        var text = $"The presentation's loss \"around {F(t.PresentationLoss, "0.000")}\": the recorded clean run ends at validation BCE {F(last.ValidationLoss)} " +
                   $"(training {F(last.TrainLoss)}) after epoch {last.Epoch}, {Signed(off)} from it; its best epoch is {recordedClean.Best.Epoch} " +
                   $"({F(recordedClean.Best.ValidationLoss)}). ";
        if (Math.Abs(off) <= t.AroundShare)
            return text + $"That is within {Percent(t.AroundShare)}: the reproduction lands where the presentation did.";
        return text + (recordedClean.PayoffEpoch is not null && lastWindow is not null
            ? $"Close, but outside {Percent(t.AroundShare)}: over its last {recordedClean.Window} epochs the loss fell by only {Percent(lastWindow.GainOverNextWindow!.Value)}, " +
              "so more epochs would not close the difference; it comes from the runs themselves (framework, weight initialisation, data order), not from training too little."
            : "The loss was still falling when the run ended: more epochs would move it further.");
    }

    private sealed record Pair(EpochsAnalysis Clean, EpochsAnalysis Denoising);

    private static Pair Studies(ClaimRuns runs) =>
        new(EpochsAnalysis.Of($"clean, {runs.Name}", runs.Clean, runs.Window), EpochsAnalysis.Of($"denoising, {runs.Name}", runs.Denoising, runs.Window));

    private static Claim Converges(EpochsAnalysis live, EpochsAnalysis recorded, ClaimThresholds t)
    {
        var off = (recorded.Last.ValidationLoss - t.PresentationLoss) / t.PresentationLoss;
        var converged = recorded.PayoffEpoch is not null;
        var near = Math.Abs(off) <= t.AroundShare ? 2 : Math.Abs(off) <= 2 * t.AroundShare ? 1 : 0;
        var verdict = near == 2 && converged ? Verdict.Holds : near >= 1 ? Verdict.Partly : Verdict.DoesNotHold;
        return new("clean", $"the model converges to a loss around {F(t.PresentationLoss, "0.000")}",
            $"validation BCE {F(live.Last.ValidationLoss)} after epoch {live.Last.Epoch}, {Signed(Share(live.Last.ValidationLoss, t.PresentationLoss))} from {F(t.PresentationLoss, "0.000")}; " +
            Payoff(live),
            $"validation BCE {F(recorded.Last.ValidationLoss)} after epoch {recorded.Last.Epoch} ({Signed(off)} from {F(t.PresentationLoss, "0.000")}), " +
            $"training BCE {F(recorded.Last.TrainLoss)}, best validation {F(recorded.Best.ValidationLoss)} at epoch {recorded.Best.Epoch}; {Payoff(recorded)}",
            $"holds within {Percent(t.AroundShare)} of {F(t.PresentationLoss, "0.000")} with extra epochs no longer paying, partly within {Percent(2 * t.AroundShare)}",
            Text(verdict));
    }

    private static Claim InSync(string section, string words, EpochsAnalysis live, EpochsAnalysis recorded, ClaimThresholds t)
    {
        var (liveGap, recordedGap) = (Gap(live), Gap(recorded));
        var count = (Math.Abs(liveGap) <= t.InSyncShare ? 1 : 0) + (Math.Abs(recordedGap) <= t.InSyncShare ? 1 : 0);
        return new(section, words,
            $"validation - training BCE {Signed(live.Last.ValidationLoss - live.Last.TrainLoss, "0.0000")} ({Signed(liveGap)} of training) after epoch {live.Last.Epoch}",
            $"{Signed(recorded.Last.ValidationLoss - recorded.Last.TrainLoss, "0.0000")} ({Signed(recordedGap)}) after epoch {recorded.Last.Epoch}",
            $"in sync: the final gap is within {Percent(t.InSyncShare)} of the training loss; holds in both runs, partly in one",
            Text(count == 2 ? Verdict.Holds : count == 1 ? Verdict.Partly : Verdict.DoesNotHold));
    }

    private static Claim NoOverfitting(EpochsAnalysis live, EpochsAnalysis recorded)
    {
        var overfits = live.Overfits || recorded.Overfits;
        var rises = live.Spikes.Count + recorded.Spikes.Count;
        return new("clean", "no overfitting, curves always decreasing",
            $"{Rises(live)}; lasting overfitting: {(live.Overfits ? "yes" : "no")}",
            $"{Rises(recorded)}; lasting overfitting: {(recorded.Overfits ? "yes" : "no")}",
            "holds with no lasting overfitting and no rise of the validation loss; partly with passing rises only",
            Text(overfits ? Verdict.DoesNotHold : rises == 0 ? Verdict.Holds : Verdict.Partly));
    }

    private static Claim SeveralSpikes(EpochsAnalysis live, EpochsAnalysis recorded, ClaimThresholds t) =>
        new("noisy", "several spikes appear on the validation loss", Rises(live), Rises(recorded),
            $"holds with at least {t.SeveralSpikes} rises in the presentation's 100 epochs, partly with fewer",
            Text(recorded.Spikes.Count >= t.SeveralSpikes ? Verdict.Holds : recorded.Spikes.Count > 0 ? Verdict.Partly : Verdict.DoesNotHold));

    private static Claim OverfittingAtSomeEpochs(EpochsAnalysis live, EpochsAnalysis recorded)
    {
        static int WhileTraining(EpochsAnalysis s) => s.Spikes.Count(x => x.TrainChange < 0);
        static string Evidence(EpochsAnalysis s) =>
            $"{WhileTraining(s)} epochs where validation rose while training fell; lasting: {(s.Overfits ? "yes" : $"no (best {F(s.Best.ValidationLoss)} at epoch {s.Best.Epoch}, last {F(s.Last.ValidationLoss)})")}";
        return new("noisy", "overfitting at some epochs", Evidence(live), Evidence(recorded),
            "holds if the validation loss turns up and stays up while training improves (lasting); partly if it rises for single epochs only",
            Text(recorded.Overfits || live.Overfits ? Verdict.Holds : WhileTraining(recorded) + WhileTraining(live) > 0 ? Verdict.Partly : Verdict.DoesNotHold));
    }

    private static Claim Complexity(CapacityComparison c, ClaimThresholds t)
    {
        var gain = Psnr.FromMse(c.BiggerHistory.Last!.ValidationMse) - Psnr.FromMse(c.PresentationHistory.Last!.ValidationMse);
        return new("noisy", "improvements can be achieved by increasing complexity",
            $"{c.Bigger} ({c.BiggerParameters:N0} parameters) against {c.Presentation} ({c.PresentationParameters:N0}), {c.Budget} each: validation PSNR " +
            $"{F(Psnr.FromMse(c.BiggerHistory.Last!.ValidationMse), "0.00")} against {F(Psnr.FromMse(c.PresentationHistory.Last!.ValidationMse), "0.00")} dB ({Signed(gain, "0.00")} dB)",
            "not recorded (one model per mode)",
            $"holds with at least {F(t.GainDb, "0.#")} dB more validation PSNR for the bigger model on the same budget, partly with any gain",
            Text(gain >= t.GainDb ? Verdict.Holds : gain > 0 ? Verdict.Partly : Verdict.DoesNotHold));
    }

    private static Claim NotFarAway(Pair live, Pair recorded)
    {
        static double Ratio(Pair p) => (p.Denoising.Last.ValidationLoss - p.Clean.Last.ValidationLoss) /
                                       (p.Denoising.Rows[0].ValidationLoss - p.Denoising.Last.ValidationLoss);
        static string Evidence(Pair p) =>
            $"final validation BCE denoising {F(p.Denoising.Last.ValidationLoss)}, clean {F(p.Clean.Last.ValidationLoss)}: gap " +
            $"{F(p.Denoising.Last.ValidationLoss - p.Clean.Last.ValidationLoss)}, {Percent(Ratio(p))} of the denoising curve's fall since epoch 1";
        var close = (Ratio(live) <= 0.5 ? 1 : 0) + (Ratio(recorded) <= 0.5 ? 1 : 0);
        return new("clean vs noisy", "the curves are not so far away", Evidence(live), Evidence(recorded),
            "close: the gap between the final validation losses is at most half of the distance the denoising curve fell; holds in both runs, partly in one",
            Text(close == 2 ? Verdict.Holds : close == 1 ? Verdict.Partly : Verdict.DoesNotHold));
    }

    private static Claim Generalization(Pair live, Pair recorded, ClaimThresholds t)
    {
        EpochsAnalysis[] all = [live.Clean, live.Denoising, recorded.Clean, recorded.Denoising];
        var good = all.Count(s => Gap(s) <= t.InSyncShare && !s.Overfits);
        static string Evidence(Pair p) => $"validation against training: clean {Signed(Gap(p.Clean))}, denoising {Signed(Gap(p.Denoising))}";
        return new("clean vs noisy", "good generalization", Evidence(live), Evidence(recorded),
            $"on pictures it never trained on, each model does at most {Percent(t.InSyncShare)} worse than on its training pictures and never overfits for good: holds for all four runs, partly for some",
            Text(good == all.Length ? Verdict.Holds : good > 0 ? Verdict.Partly : Verdict.DoesNotHold));
    }

    private static Claim HigherDimensionality(CapacityComparison c, ClaimThresholds t)
    {
        var gain = Psnr.FromMse(c.BiggerHistory.Last!.ValidationMse) - Psnr.FromMse(c.PresentationHistory.Last!.ValidationMse);
        var (presentationGap, biggerGap) = (Gap(c.PresentationHistory), Gap(c.BiggerHistory));
        // The price of capacity is overfitting: the bigger model's validation loss above its training loss by more than "in sync" allows, and more than the presentation model's.
        var tradeSeen = biggerGap > t.InSyncShare && biggerGap > presentationGap;
        return new("conclusions", "perks of higher dimensionality, a trade between higher capacity and overfitting",
            $"{c.Bigger}: {Signed(gain, "0.00")} dB over {c.Presentation}; validation against training {Signed(biggerGap)} for {c.Bigger}, {Signed(presentationGap)} for {c.Presentation}",
            "not recorded (one model per mode)",
            $"holds with the perk (at least {F(t.GainDb, "0.#")} dB) and its price (the bigger model's validation loss over {Percent(t.InSyncShare)} above its training loss, more than the presentation model's); partly with one of them",
            Text(gain >= t.GainDb && tradeSeen ? Verdict.Holds : gain >= t.GainDb || tradeSeen ? Verdict.Partly : Verdict.DoesNotHold));
    }

    private static Claim Feasible(TestScore score, EpochsAnalysis recorded, ClaimThresholds t)
    {
        var input = score.InputPsnr ?? throw new ArgumentException("The denoising score has no input PSNR: pass the denoising run's score.", nameof(score));
        var (liveGain, recordedGain) = (score.OutputPsnr - input, recorded.Last.ValidationPsnr - input);
        var count = (liveGain >= t.GainDb ? 1 : 0) + (recordedGain >= t.GainDb ? 1 : 0);
        return new("conclusions", "picture restoration is feasible with this model",
            $"noisy test pictures {F(input, "0.00")} dB, restored {F(score.OutputPsnr, "0.00")} dB ({Signed(liveGain, "0.00")} dB)",
            $"validation PSNR {F(recorded.Last.ValidationPsnr, "0.00")} dB after epoch {recorded.Last.Epoch} ({Signed(recordedGain, "0.00")} dB over the noisy pictures)",
            $"holds when the restored pictures are at least {F(t.GainDb, "0.#")} dB above the noisy ones in both runs, partly in one",
            Text(count == 2 ? Verdict.Holds : count == 1 ? Verdict.Partly : Verdict.DoesNotHold));
    }

    private static Claim Granularity(int loopFiguresPerEpoch, TrainingHistory oneCall) =>
        new("conclusions", "Keras vs PyTorch, ease of use vs granularity",
            $"the one call: one line, {oneCall.Epochs.Count} epochs with validation, one training loss per epoch; the opened loop: {loopFiguresPerEpoch:N0} losses in its epoch, a custom loss, no validation",
            "the one call (the command line's train)",
            "holds when the opened loop shows what the one call cannot (more than one figure per epoch)",
            Text(loopFiguresPerEpoch > 1 ? Verdict.Holds : Verdict.DoesNotHold));

    private static Claim CaseByCase(Pair live, Pair recorded)
    {
        var (clean, denoising) = (recorded.Clean.PayoffEpoch, recorded.Denoising.PayoffEpoch);
        var verdict = clean is null && denoising is null ? Verdict.DoesNotHold
            : clean is not null && denoising is not null && clean != denoising ? Verdict.Holds : Verdict.Partly;
        return new("conclusions", "more epochs must be judged case by case",
            $"clean: {Payoff(live.Clean)}; denoising: {Payoff(live.Denoising)}",
            $"clean: {Payoff(recorded.Clean)}; denoising: {Payoff(recorded.Denoising)}",
            "holds when the two trainings stop paying at different epochs in the recorded run, partly when only one stops or both at the same epoch",
            Text(verdict));
    }

    private static string Payoff(EpochsAnalysis s) => s.PayoffEpoch is { } payoff
        ? $"extra epochs stop paying after epoch {payoff} (the next {s.Window} gain under {Percent(s.Threshold)}; {F(s.Rows[payoff - 1].ValidationPsnr, "0.00")} dB there, {F(s.Last.ValidationPsnr, "0.00")} dB at epoch {s.Last.Epoch})"
        : $"{(s.Window == 1 ? "each next epoch still gains" : $"each next {s.Window} epochs still gain")} at least {Percent(s.Threshold)}: not converged";

    private static string Rises(EpochsAnalysis s) =>
        s.Spikes.Count == 0 ? $"validation loss never rose in {s.Rows.Count} epochs"
            : $"validation loss rose at {s.Spikes.Count} of {s.Rows.Count - 1} epoch steps, first at epoch {s.Spikes[0].Epoch}, largest {Percent(s.Spikes.Max(x => x.Rise / s.Rows[x.Epoch - 2].ValidationLoss))}";

    /// <summary>Final validation minus training loss, as a share of the training loss.</summary>
    private static double Gap(EpochsAnalysis s) => (s.Last.ValidationLoss - s.Last.TrainLoss) / s.Last.TrainLoss;

    private static double Gap(TrainingHistory h) => (h.Last!.ValidationLoss - h.Last.TrainLoss) / h.Last.TrainLoss;

    private static double Share(double value, double reference) => (value - reference) / reference;

    private static string F(double value, string format = "0.0000") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Signed(double share) => SignedNumber.Format(share * 100, 1) + "%";

    private static string Signed(double value, string format) => value.ToString($"+{format};-{format};{format}", CultureInfo.InvariantCulture);

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
