using ImageRestoration.Baselines;
using ImageRestoration.Configuration;
using ImageRestoration.Degradations;
using ImageRestoration.Evaluation;
using ImageRestoration.Metrics;
using ImageRestoration.Models;
using ImageRestoration.Studies;
using ImageRestoration.Training;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

/// <summary>Scoring restorers and trained models alike, and the results tables.</summary>
[Collection(MnistCollection.Name)]
public sealed class EvaluationTests(MnistFixture mnist)
{
    [Fact]
    public void TheCleanImagesThemselvesScorePerfectly()
    {
        using var clean = mnist.Test.Images.narrow(0, 0, 50);

        var score = Evaluator.Score(Restorer.None, clean, clean);

        Assert.Equal(50, score.Images);
        Assert.Equal(50, score.ExactImages);
        Assert.Equal(Psnr.Ceiling, score.Psnr);
        Assert.Equal(1.0, score.Ssim, 12);
        Assert.Equal(0.0, score.Mse);
    }

    [Fact]
    public void ScoresDoNotDependOnTheBatchSize()
    {
        using var clean = mnist.Test.Images.narrow(0, 0, 60);
        using var noisy = new GaussianNoise(0.5).ApplyOnce(clean, 43);
        var median = new MedianFilter(3);

        var whole = Evaluator.Score(median, noisy, clean, batchSize: 500);
        var pieces = Evaluator.Score(median, noisy, clean, batchSize: 7);

        Assert.Equal(whole.Psnr, pieces.Psnr, 9);
        Assert.Equal(whole.Ssim, pieces.Ssim, 9);
        Assert.Equal(whole.Bce, pieces.Bce, 5);
        Assert.Equal(whole.Mse, pieces.Mse, 7);
        using var restored = Evaluator.RestoreAll(median, noisy, batchSize: 7);
        using var direct = median.Restore(noisy);
        Assert.True(restored.equal(direct).all().item<bool>());
        Assert.Equal(whole.Psnr, Psnr.Mean(restored, clean), 9);
    }

    [Fact]
    public void AModelIsScoredWithTheTrainingLosses()
    {
        TorchRuntime.Initialize();
        manual_seed(1);
        using var model = new Autoencoder();
        using var clean = mnist.Test.Images.narrow(0, 0, 300);
        using var noisy = new GaussianNoise(0.5).ApplyOnce(clean, 43);

        var score = Evaluator.Score(new ModelRestorer("presentation", model), noisy, clean);
        model.eval();
        var (bce, mse, _) = Scorer.Losses(model.forward, noisy, clean);

        // One batched scorer: the same sums in the same order, so the same numbers to the last bit.
        Assert.Equal(bce, score.Bce);
        Assert.Equal(mse, score.Mse);
        Assert.Equal(RestorerKind.Model, new ModelRestorer("presentation", model).Kind);
    }

    [Fact]
    public void DegradingForEvaluationIsReproducible()
    {
        using var clean = mnist.Test.Images.narrow(0, 0, 20);
        using var a = new SquareMask(8).ApplyOnce(clean, 5);
        using var b = new SquareMask(8).ApplyOnce(clean, 5);
        using var c = new SquareMask(8).ApplyOnce(clean, 6);

        Assert.True(a.equal(b).all().item<bool>());
        Assert.False(a.equal(c).all().item<bool>());
    }

    [Fact]
    public void NoisyMnistScoresWhereTheNoiseSaysAndTheMedianHelps()
    {
        using var clean = mnist.Test.Images.narrow(0, 0, 500);
        using var noisy = new GaussianNoise(0.5).ApplyOnce(clean, 43);

        var input = Evaluator.Score(Restorer.None, noisy, clean);
        var median = Evaluator.Score(new MedianFilter(3), noisy, clean);

        // Clipped N(0, 0.25) noise on mostly black digits: about 9.4 dB (measured 9.38 on 1,000 test images).
        Assert.InRange(input.Psnr, 9.0, 9.8);
        Assert.True(median.Psnr > input.Psnr + 3, $"median {median.Psnr:F2} dB vs input {input.Psnr:F2} dB");
        Assert.True(median.Ssim > input.Ssim);
    }

    [Fact]
    public void StudyTableRoundTripsThroughJsonAndWritesMarkdown()
    {
        using var temp = new TempDirectory();
        var table = new StudyTable
        {
            Study = "example",
            Title = "An example",
            Configuration = new ExperimentConfiguration().With("epochs=3"),
            TrainImages = 600,
            TestImages = 100,
            Rows =
            [
                new StudyRow { Method = "degraded input", Kind = RestorerKind.Input, Degradation = "gaussian-0.5", Images = 100, Psnr = 9.4, Ssim = 0.4, Bce = 3.5, Mse = 0.11 },
                new StudyRow
                {
                    Method = "presentation trained on gaussian-0.5", Kind = RestorerKind.Model, Degradation = "gaussian-0.5", Model = "presentation", Parameters = 4385,
                    Images = 100, Psnr = 18.5, Ssim = 0.8, Bce = 0.12, Mse = 0.02, TrainPsnr = 19.0, TrainBce = 0.11,
                },
            ],
        };

        var (json, markdown) = table.Save(temp.Path);
        var loaded = StudyTable.Load(json);

        Assert.Equal(table.Rows, loaded.Rows);
        Assert.Equal(3, loaded.Configuration.Epochs);
        Assert.Contains("\"kind\": \"model\"", File.ReadAllText(json));
        Assert.DoesNotContain("noiseLevel", File.ReadAllText(json));
        var text = File.ReadAllText(markdown);
        Assert.Contains("| Method | Degradation | Parameters | PSNR (dB) | SSIM | BCE | MSE | Train PSNR | PSNR gap | Train BCE | BCE gap |", text);
        Assert.Contains("| presentation trained on gaussian-0.5 | gaussian-0.5 | 4,385 | 18.50 | 0.8000 | 0.1200 | 0.02000 | 19.00 | +0.50 | 0.1100 | +0.0100 |", text);
        Assert.Contains("| degraded input | gaussian-0.5 |  | 9.40 |", text);
        Assert.Equal(0.5, loaded.Rows[1].PsnrGap!.Value, 9);
    }
}
