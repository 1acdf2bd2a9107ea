using ImageRestoration.Notebooks;
using ImageRestoration.Training;

namespace ImageRestoration.Tests;

/// <summary>
/// Notebook 06's table of the presentation's claims: one row per claim in the
/// presentation's words, and each verdict computed from the histories and the
/// stated thresholds, so a run that bears a claim out gets "holds" and one that
/// does not gets "partly" or "does not hold".
/// </summary>
public sealed class PresentationClaimsTests
{
    private static readonly ClaimThresholds Thresholds = new(PresentationLoss: 0.087, AroundShare: 0.02, InSyncShare: 0.05, SeveralSpikes: 3, GainDb: 1.0);

    /// <summary>A falling training curve from <paramref name="first"/> to <paramref name="last"/>, validation a share of it, rising 1% at the given epochs.</summary>
    private static TrainingHistory Curve(int epochs, double first, double last, double validationOverTrain = 0.99, params int[] rises)
    {
        var history = new TrainingHistory();
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            var train = last + (first - last) * (Math.Exp(-6.0 * (epoch - 1) / (epochs - 1)) - Math.Exp(-6.0)) / (1 - Math.Exp(-6.0));
            var validation = train * validationOverTrain * (rises.Contains(epoch) ? 1.01 : 1.0);
            history.Epochs.Add(new EpochRecord(epoch, train, validation, train / 8, validation / 8, 1.0));
        }
        return history;
    }

    private static IReadOnlyList<Claim> Check(TrainingHistory recordedClean, TrainingHistory? recordedDenoising = null, TrainingHistory? bigger = null)
    {
        var live = new ClaimRuns("class run", Curve(15, 0.155, 0.099), Curve(15, 0.188, 0.131), 5);
        var recorded = new ClaimRuns("recorded", recordedClean, recordedDenoising ?? Curve(100, 0.188, 0.119, 0.99, 30, 45, 60, 75));
        var presentation = Curve(2, 0.2, 0.15);
        var capacity = new CapacityComparison("2 epochs on 30,000 pictures", "presentation", 4385, presentation, "unet-small", 10001, bigger ?? Curve(2, 0.15, 0.10));
        var score = new TestScore("denoising", 0.115, 0.021, 0.13, 0.067, 9.38, 16.9, 0.7);
        return PresentationClaims.Check(live, recorded, score, capacity, loopFiguresPerEpoch: 469, Thresholds);
    }

    private static string Verdict(IReadOnlyList<Claim> claims, string words) => Assert.Single(claims, c => c.Presentation == words).Verdict;

    [Fact]
    public void EveryClaimOfThePresentationsEvaluationIsARowInItsWords()
    {
        var claims = Check(Curve(100, 0.155, 0.0875, 0.99, 40, 70));
        Assert.Equal(
        [
            "the model converges to a loss around 0.087", "validation and training loss are in sync (small gap)", "no overfitting, curves always decreasing",
            "almost in sync", "several spikes appear on the validation loss", "overfitting at some epochs", "improvements can be achieved by increasing complexity",
            "the curves are not so far away", "good generalization",
            "perks of higher dimensionality, a trade between higher capacity and overfitting", "picture restoration is feasible with this model",
            "Keras vs PyTorch, ease of use vs granularity", "more epochs must be judged case by case",
        ], claims.Select(c => c.Presentation));
        Assert.All(claims, c => Assert.Contains(c.Verdict, new[] { "holds", "partly", "does not hold" }));
        Assert.All(claims, c => Assert.False(string.IsNullOrWhiteSpace(c.ThisRun + c.Rule)));
    }

    [Theory]
    [InlineData(0.0880, "holds")]        // 1.1% from 0.087
    [InlineData(0.0896, "partly")]       // 3.0%
    [InlineData(0.0950, "does not hold")] // 9.2%
    public void TheLossAround0087IsJudgedByItsDistance(double last, string verdict)
    {
        var claims = Check(Curve(100, 0.155, last / 0.99));
        Assert.Equal(verdict, Verdict(claims, "the model converges to a loss around 0.087"));
        Assert.Contains($"{last:0.0000}", Assert.Single(claims, c => c.Section == "clean" && c.Presentation.Contains("0.087")).Recorded);
    }

    [Fact]
    public void SpikesAndOverfittingFollowTheRecordedCurves()
    {
        var smooth = Check(Curve(100, 0.155, 0.0875), Curve(100, 0.188, 0.119));
        Assert.Equal("holds", Verdict(smooth, "no overfitting, curves always decreasing"));
        Assert.Equal("does not hold", Verdict(smooth, "several spikes appear on the validation loss"));
        Assert.Equal("does not hold", Verdict(smooth, "overfitting at some epochs"));

        var spiky = Check(Curve(100, 0.155, 0.0875, 0.99, 40, 70), Curve(100, 0.188, 0.119, 0.99, 30, 45, 60, 75));
        Assert.Equal("partly", Verdict(spiky, "no overfitting, curves always decreasing"));
        Assert.Equal("holds", Verdict(spiky, "several spikes appear on the validation loss"));
        Assert.Equal("partly", Verdict(spiky, "overfitting at some epochs")); // single-epoch rises, none lasting
    }

    [Fact]
    public void AGapBeyondTheThresholdIsNotInSync()
    {
        var apart = Check(Curve(100, 0.155, 0.0875, 1.08));
        Assert.Equal("partly", Verdict(apart, "validation and training loss are in sync (small gap)")); // the class run is in sync, the recorded one not
        Assert.Equal("partly", Verdict(apart, "good generalization"));
    }

    [Fact]
    public void ComplexityNeedsTheBiggerModelToGain()
    {
        Assert.Equal("holds", Verdict(Check(Curve(100, 0.155, 0.0875)), "improvements can be achieved by increasing complexity"));
        Assert.Equal("does not hold", Verdict(Check(Curve(100, 0.155, 0.0875), bigger: Curve(2, 0.2, 0.16)),
            "improvements can be achieved by increasing complexity"));
    }
}
