using System.Diagnostics;
using ImageRestoration.Configuration;
using ImageRestoration.Degradations;
using ImageRestoration.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageRestoration.Training;

/// <summary>
/// The presentation's training: Adam on binary cross-entropy over shuffled
/// mini-batches, validated on the test images after each epoch. Clean mode
/// learns x -> x; with a <see cref="Degradation"/> it learns degraded(x) -> x,
/// drawing fresh noise for every batch from a generator seeded with the
/// configuration's seed, and validating on test images degraded once.
/// </summary>
public sealed class Trainer
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly ExperimentConfiguration configuration;
    private readonly Degradation? degradation;
    private readonly Adam optimizer;

    public Trainer(nn.Module<Tensor, Tensor> model, ExperimentConfiguration configuration, Degradation? degradation = null)
    {
        configuration.Validate();
        this.model = model;
        this.configuration = configuration;
        this.degradation = degradation;
        // The oneDNN work-around must precede the optimizer, whose state takes the weights' strides.
        ChannelsLastWeights.Apply(model);
        optimizer = optim.Adam(model.parameters(), lr: configuration.LearningRate, eps: configuration.AdamEpsilon);
    }

    /// <summary>Where progress goes; null is silent. Defaults to the console at the configuration's verbosity.</summary>
    public TrainingProgress? Progress { get; set; }

    /// <summary>A folder for TensorBoard scalars (train and validation loss per epoch), or null for none.</summary>
    public string? TensorBoardDirectory { get; set; }

    public TrainingHistory History { get; } = new();

    /// <summary>Trains for the configured number of epochs and returns the history.</summary>
    public TrainingHistory Fit(Tensor trainImages, Tensor validationImages, CancellationToken cancellation = default)
    {
        var progress = Progress ?? TrainingProgress.ForConsole(configuration.Verbosity, configuration.Epochs);
        using var generator = new Generator((ulong)configuration.Seed);
        using var validationInputs = DegradeOnce(validationImages, configuration.Seed + 1);
        var writer = TensorBoardDirectory is null ? null : torch.utils.tensorboard.SummaryWriter(TensorBoardDirectory);

        var count = trainImages.shape[0];
        var batchSize = configuration.BatchSize;
        var batches = (int)((count + batchSize - 1) / batchSize);
        for (var epoch = History.Epochs.Count + 1; epoch <= configuration.Epochs; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            model.train();
            double lossSum = 0, mseSum = 0;
            using var order = randperm(count, generator: generator);
            for (var batch = 0; batch < batches; batch++)
            {
                using var scope = NewDisposeScope();
                var start = (long)batch * batchSize;
                var length = Math.Min(batchSize, count - start);
                var target = trainImages.index_select(0, order.narrow(0, start, length));
                var input = degradation?.Apply(target, generator) ?? target;
                var output = model.forward(input);
                // Binary cross-entropy rejects NaN outputs with an opaque native error; name the fault instead.
                if (!output.isfinite().all().item<bool>()) throw new TrainingDivergedException(epoch, batch + 1, double.NaN);
                var loss = nn.functional.binary_cross_entropy(output, target);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();

                var value = loss.item<float>();
                if (!float.IsFinite(value)) throw new TrainingDivergedException(epoch, batch + 1, value);
                lossSum += value * length;
                using (no_grad())
                    mseSum += nn.functional.mse_loss(output, target).item<float>() * length;
                progress.Batch(epoch, batch + 1, batches, lossSum / (start + length), start + length, clock.Elapsed);
            }

            var (validationLoss, validationMse) = Losses.Evaluate(model, validationInputs, validationImages);
            var record = new EpochRecord(epoch, lossSum / count, validationLoss, mseSum / count, validationMse, clock.Elapsed.TotalSeconds);
            History.Epochs.Add(record);
            writer?.add_scalar("loss/train", (float)record.TrainLoss, epoch);
            writer?.add_scalar("loss/validation", (float)record.ValidationLoss, epoch);
            progress.Epoch(record, batches, (int)count);
        }
        return History;
    }

    /// <summary>The validation inputs: the test images degraded once, with their own seed, as the presentation's x_test_noisy.</summary>
    private Tensor DegradeOnce(Tensor images, long seed)
    {
        if (degradation is null) return images.alias();
        using var generator = new Generator((ulong)seed);
        return degradation.Apply(images, generator);
    }
}
