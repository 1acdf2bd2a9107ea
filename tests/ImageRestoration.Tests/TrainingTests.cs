using ImageRestoration.Configuration;
using ImageRestoration.Degradations;
using ImageRestoration.Models;
using ImageRestoration.Training;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

[Collection(MnistCollection.Name)]
public sealed class TrainingTests(MnistFixture mnist) : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static ExperimentConfiguration Configuration(params string[] overrides) =>
        new ExperimentConfiguration().With(["verbosity=0", .. overrides]);

    private static (RestorationModel, Trainer) Build(ExperimentConfiguration configuration, Degradation? degradation = null)
    {
        var model = Experiment.CreateModel(configuration);
        return (model, new Trainer(model, configuration, degradation) { Progress = new TrainingProgress(null, 0, configuration.Epochs, false) });
    }

    [Fact]
    public void AdamStepsLowerTheLossOnARealBatch()
    {
        using var batch = mnist.Train.Images.narrow(0, 0, 128);
        var (model, _) = Build(Configuration());
        using var _m = model;
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3, eps: 1e-7);
        double Loss()
        {
            using var l = nn.functional.binary_cross_entropy(model.forward(batch), batch);
            return l.item<float>();
        }

        var before = Loss();
        for (var step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.binary_cross_entropy(model.forward(batch), batch).backward();
            optimizer.step();
        }

        Assert.True(Loss() < before - 0.01, $"loss {before} did not fall after 5 Adam steps");
    }

    [Fact]
    public void OneEpochOnAFewThousandImagesBringsValidationBelow020()
    {
        var configuration = Configuration("epochs=1", "batchSize=32");
        var (model, trainer) = Build(configuration);
        using var _m = model;
        using var train = mnist.Train.Images.narrow(0, 0, 6000);
        using var test = mnist.Test.Images.narrow(0, 0, 2000);

        var history = trainer.Fit(train, test);

        Assert.Single(history.Epochs);
        Assert.True(history.Epochs[0].ValidationLoss < 0.20, $"validation BCE {history.Epochs[0].ValidationLoss}");
    }

    [Fact]
    public void TwoFullEpochsOnRealMnistGiveFiniteFallingLosses()
    {
        var configuration = Configuration("epochs=2");
        var (model, trainer) = Build(configuration);
        using var _m = model;
        trainer.TensorBoardDirectory = temp.File("tensorboard");

        var history = trainer.Fit(mnist.Train.Images, mnist.Test.Images);

        Assert.Equal([1, 2], history.Epochs.Select(e => e.Epoch));
        Assert.All(history.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss) && double.IsFinite(e.ValidationLoss)));
        Assert.True(history.Epochs[1].TrainLoss < history.Epochs[0].TrainLoss);
        Assert.True(history.Epochs[1].ValidationLoss < history.Epochs[0].ValidationLoss);
        Assert.True(history.Epochs[1].ValidationLoss < 0.15, $"validation BCE {history.Epochs[1].ValidationLoss} after 2 epochs");
        Assert.True(ChannelsLastWeights.IsApplied(model), "models are trained with channels-last weights");

        var events = Directory.GetFiles(trainer.TensorBoardDirectory, "events.out.tfevents.*");
        var text = string.Concat(events.Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        Assert.Contains("loss/train", text);
        Assert.Contains("loss/validation", text);
    }

    [Fact]
    public void SameSeedGivesTheSameHistory()
    {
        using var train = mnist.Train.Images.narrow(0, 0, 1024);
        using var test = mnist.Test.Images.narrow(0, 0, 512);
        List<(double, double, double, double)> Run()
        {
            var configuration = Configuration("epochs=2", "mode=denoising");
            var (model, trainer) = Build(configuration, configuration.Degradation.Create());
            using var _m = model;
            return trainer.Fit(train, test).Epochs.Select(e => (e.TrainLoss, e.ValidationLoss, e.TrainMse, e.ValidationMse)).ToList();
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void DenoisingValidatesOnDegradedImages()
    {
        using var train = mnist.Train.Images.narrow(0, 0, 512);
        using var test = mnist.Test.Images.narrow(0, 0, 256);
        var clean = Configuration("epochs=1");
        var (cleanModel, cleanTrainer) = Build(clean);
        var (noisyModel, noisyTrainer) = Build(clean, new GaussianNoise(0.5));
        using var _c = cleanModel;
        using var _n = noisyModel;

        var cleanLoss = cleanTrainer.Fit(train, test).Epochs[0];
        var noisyLoss = noisyTrainer.Fit(train, test).Epochs[0];

        // Same seed, same initial weights, same order: only the noisy inputs differ.
        Assert.NotEqual(cleanLoss.TrainLoss, noisyLoss.TrainLoss);
        Assert.NotEqual(cleanLoss.ValidationLoss, noisyLoss.ValidationLoss);
    }

    [Fact]
    public void NaNStopsTrainingWithAClearMessage()
    {
        using var train = mnist.Train.Images.narrow(0, 0, 256).clone();
        using var test = mnist.Test.Images.narrow(0, 0, 64);
        train[0, 0, 0, 0] = tensor(float.NaN);
        var (model, trainer) = Build(Configuration("epochs=1", "batchSize=256"));
        using var _m = model;

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(train, test));

        Assert.Equal(1, error.Epoch);
        Assert.Contains("diverged", error.Message);
    }

    [Fact]
    public void ProgressPrintsOneLinePerEpochLikeKeras()
    {
        using var train = mnist.Train.Images.narrow(0, 0, 256);
        using var test = mnist.Test.Images.narrow(0, 0, 64);
        var configuration = Configuration("epochs=2");
        var (model, trainer) = Build(configuration);
        using var _m = model;
        var output = new StringWriter();
        trainer.Progress = new TrainingProgress(output, verbosity: 2, epochs: 2, live: false);

        trainer.Fit(train, test);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("Epoch 2/2 2 batches", lines[1]);
        Assert.Contains("val_loss: ", lines[1]);
    }
}
