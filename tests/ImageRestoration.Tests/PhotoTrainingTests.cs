using ImageRestoration.Training;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

/// <summary>How the photo denoiser trains: the relative squared error or the mean squared error, a cosine learning rate, the same weights from the same seed, bad settings refused first.</summary>
public sealed class PhotoTrainingTests
{
    public PhotoTrainingTests() => TorchRuntime.Initialize();

    /// <summary>The default loss on the smaller kind, for speed.</summary>
    private static readonly PhotoTrainingSettings Tiny = new()
    {
        Model = Models.ModelCatalog.Photo, Patches = 64, PatchSize = 24, Epochs = 2, BatchSize = 16, ValidationPatches = 16, Seed = 3,
    };

    [Fact]
    public void TheCosineRateFallsFromTheStartToTheEndStepByStep()
    {
        var schedule = new CosineLearningRate(1e-3, 1e-5, 100);
        var rates = Enumerable.Range(0, 100).Select(step => schedule.At(step)).ToList();

        Assert.Equal(1e-3, rates[0], 12);
        Assert.Equal(1e-5, rates[^1], 12);
        Assert.Equal((1e-3 + 1e-5) / 2, new CosineLearningRate(1e-3, 1e-5, 3).At(1), 12);
        Assert.All(rates.Zip(rates.Skip(1)), pair => Assert.True(pair.Second < pair.First));
        Assert.Equal(1e-5, schedule.At(500), 12);
    }

    [Fact]
    public void PhotoTrainingMinimisesTheSquaredErrorAndGivesTheSameWeightsForTheSameSeed()
    {
        using var picture = PhotoFixtures.Smooth(1, 64, 64);
        var squaredError = Tiny with { Loss = TrainingLoss.MeanSquaredError };
        var (first, history) = PhotoTraining.Train([picture], [picture], squaredError);
        var (second, _) = PhotoTraining.Train([picture], [picture], squaredError);
        using (first)
        using (second)
        {
            Assert.Equal(8, Tiny.Steps);
            Assert.All(history.Epochs, epoch => Assert.Equal(epoch.TrainMse, epoch.TrainLoss, 6));
            Assert.All(history.Epochs, epoch => Assert.Equal(epoch.ValidationMse, epoch.ValidationLoss, 9));
            Assert.All(first.parameters().Zip(second.parameters()), pair => Assert.True(pair.First.equal(pair.Second).all().item<bool>(), "weights differ for the same seed"));
        }
    }

    [Fact]
    public void TheErrorRatioIsTheShareOfTheNoiseLeftAndTenToTheMinusATenthOfTheGain()
    {
        using var clean = full(2, 1, 8, 8, 0.5f);
        using var noisy = clean + randn(2, 1, 8, 8, generator: new Generator(5)).mul_(0.1);
        using var halfway = (clean + noisy) / 2;

        Assert.Equal([1.0f, 1.0f], Metrics.Psnr.ErrorRatio(noisy, clean, noisy).data<float>().ToArray());
        Assert.Equal([0.0f, 0.0f], Metrics.Psnr.ErrorRatio(clean, clean, noisy).data<float>().ToArray());
        using var gain = Metrics.Psnr.PerImage(halfway, clean) - Metrics.Psnr.PerImage(noisy, clean);
        using var ratio = Metrics.Psnr.ErrorRatio(halfway, clean, noisy);
        // Halving the error everywhere leaves a quarter of it: a gain of 10 log10(4) = 6.02 dB.
        Assert.All(ratio.data<float>().ToArray(), r => Assert.Equal(0.25, r, 5));
        Assert.All(gain.data<double>().ToArray(), g => Assert.Equal(10 * Math.Log10(4), g, 4));
    }

    [Fact]
    public void TheRelativeLossTrainsOnEachPatchsShareOfItsNoiseAndValidatesOnTheSame()
    {
        using var picture = PhotoFixtures.Smooth(1, 64, 64);
        Assert.Equal(TrainingLoss.RelativeSquaredError, new PhotoTrainingSettings().Loss);
        var (model, history) = PhotoTraining.Train([picture], [picture], Tiny);
        using (model)
        {
            // The share of the noise left: below 1 (the model removes some), falling, and not the MSE (about 0.015 here).
            Assert.All(history.Epochs, epoch => Assert.InRange(epoch.TrainLoss, 0.5, 1.0));
            Assert.All(history.Epochs, epoch => Assert.InRange(epoch.ValidationLoss, 0.5, 1.0));
            Assert.All(history.Epochs, epoch => Assert.InRange(epoch.ValidationMse, 0.001, 0.1));
            Assert.True(history.Epochs[1].TrainLoss < history.Epochs[0].TrainLoss, "the relative training loss did not fall");
            Assert.True(history.Epochs[1].ValidationLoss < history.Epochs[0].ValidationLoss, "the relative validation loss did not fall");
        }
    }

    [Fact]
    public void TheRelativeLossIsRefusedWhereNothingIsDegraded()
    {
        using var model = Models.ModelCatalog.Create(Models.ModelCatalog.Photo);
        using var images = PhotoFixtures.Smooth(1, 24, 24).unsqueeze(0);
        using var trainer = new Trainer(model, Tiny.TrainerConfiguration(0)) { Loss = TrainingLoss.RelativeSquaredError };

        var refused = Assert.Throws<Configuration.ConfigurationException>(() => trainer.Fit(images, images));

        Assert.Contains("loss = RelativeSquaredError", refused.Message);
    }

    [Theory]
    [InlineData("--loss", "bce", "bce")]
    [InlineData("--epochs", "0", "epochs = 0")]
    [InlineData("--patches", "0", "patches = 0")]
    [InlineData("--final-learning-rate", "0.01", "final learning rate = 0.01")]
    [InlineData("--model", "unet", "model = unet: a photo denoiser is one of photo-wide, photo, photo-half")]
    [InlineData("--patch-size", "4", "patch size = 4")]
    public void BadSettingsExitTwoBeforeAnythingIsLoadedOrPrinted(string option, string value, string message)
    {
        using var temp = new TempDirectory();

        var (code, output) = CliProcess.Run(["train-photos", option, value, "--out", temp.File("model.bin"), "--photos", temp.File("no-such-folder")]);

        Assert.True(code == 2, output);
        Assert.Contains(message, output);
        Assert.DoesNotContain("Training", output);
        Assert.False(File.Exists(temp.File("model.bin")));
    }
}
