using ImageRestoration.Configuration;
using ImageRestoration.Models;
using ImageRestoration.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageRestoration.Tests;

[Collection(MnistCollection.Name)]
public sealed class ResumeTests(MnistFixture mnist) : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static readonly ExperimentConfiguration Configuration =
        new ExperimentConfiguration().With("verbosity=0", "epochs=3", "batchSize=64", "mode=denoising");

    private static List<(int, double, double, double, double)> Figures(TrainingHistory history) =>
        history.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.TrainMse, e.ValidationMse)).ToList();

    private static Trainer NewTrainer(RestorationModel model, string? checkpoint) =>
        new(model, Configuration, Configuration.Degradation.Create())
            { Progress = new TrainingProgress(null, 0, 3, false), CheckpointFile = checkpoint };

    [Fact]
    public void StoppingMidEpochAndAtEpochEndThenResumingGivesTheSameNumbers()
    {
        using var train = mnist.Train.Images.narrow(0, 0, 640);
        using var test = mnist.Test.Images.narrow(0, 0, 128);
        var checkpoint = temp.File("checkpoint.bin");

        using var straightModel = Experiment.CreateModel(Configuration);
        using var straight = NewTrainer(straightModel, null);
        var expected = Figures(straight.Fit(train, test));

        // Stop after the very first batch (mid-epoch 1).
        using (var model = Experiment.CreateModel(Configuration))
        using (var trainer = NewTrainer(model, checkpoint))
        {
            Assert.Throws<OperationCanceledException>(() => trainer.Fit(train, test, new CancellationToken(canceled: true)));
            Assert.Equal(new TrainingPosition(1, 1, trainer.Position.LossSum, trainer.Position.MseSum, trainer.Position.Seconds), trainer.Position);
        }
        // Resume in a new model and trainer; stop at the end of epoch 2.
        using (var model = Experiment.CreateModel(Configuration.With("seed=999")))
        using (var trainer = NewTrainer(model, checkpoint))
        using (var stop = new CancellationTokenSource())
        {
            trainer.Resume(checkpoint);
            trainer.EpochCompleted = history => { if (history.Epochs.Count == 2) stop.Cancel(); };
            Assert.Throws<OperationCanceledException>(() => trainer.Fit(train, test, stop.Token));
            Assert.Equal(3, trainer.Position.Epoch);
            Assert.Equal(0, trainer.Position.NextBatch);
        }
        // Resume again and finish.
        using var lastModel = Experiment.CreateModel(Configuration);
        using var last = NewTrainer(lastModel, checkpoint);
        last.Resume(checkpoint);
        var resumed = Figures(last.Fit(train, test));

        Assert.Equal(expected, resumed);
        Assert.False(File.Exists(checkpoint + ".tmp"));
    }

    [Fact]
    public void DamagedCheckpointIsNamed()
    {
        var checkpoint = temp.File("checkpoint.bin");
        File.WriteAllBytes(checkpoint, [1, 2, 3]);
        using var model = Experiment.CreateModel(Configuration);
        using var trainer = NewTrainer(model, checkpoint);

        var error = Assert.Throws<InvalidDataException>(() => trainer.Resume(checkpoint));

        Assert.Contains(checkpoint, error.Message);
    }
}
