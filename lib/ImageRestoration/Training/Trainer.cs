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
/// With a <see cref="CheckpointFile"/> it saves a checkpoint after every epoch
/// (and where it stops when cancelled) and can <see cref="Resume"/> from one
/// with the same numbers as a run that never stopped.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly RestorationModel model;
    private readonly ExperimentConfiguration configuration;
    private readonly Degradation? degradation;
    private readonly Adam optimizer;
    private readonly Generator generator;
    private TrainingPosition position = TrainingPosition.Start;
    private Tensor? resumedOrder;

    public Trainer(RestorationModel model, ExperimentConfiguration configuration, Degradation? degradation = null)
    {
        configuration.Validate();
        this.model = model;
        this.configuration = configuration;
        this.degradation = degradation;
        optimizer = optim.Adam(model.parameters(), lr: configuration.LearningRate, eps: configuration.AdamEpsilon);
        generator = new Generator((ulong)configuration.Seed);
    }

    /// <summary>Where progress goes; null is silent. Defaults to the console at the configuration's verbosity.</summary>
    public TrainingProgress? Progress { get; set; }

    /// <summary>A folder for TensorBoard scalars (train and validation loss per epoch), or null for none.</summary>
    public string? TensorBoardDirectory { get; set; }

    /// <summary>Where to keep the checkpoint, or null for none.</summary>
    public string? CheckpointFile { get; set; }

    /// <summary>Called after each epoch's checkpoint, for example to write the history where people can read it.</summary>
    public Action<TrainingHistory>? EpochCompleted { get; set; }

    public TrainingHistory History { get; private set; } = new();

    /// <summary>The next epoch and batch to run: the start, or where a resumed checkpoint stopped.</summary>
    public TrainingPosition Position => position;

    /// <summary>Restores model, optimizer, generator, history and position from a checkpoint.</summary>
    public void Resume(string checkpointFile)
    {
        resumedOrder?.Dispose();
        (History, position, resumedOrder) = Checkpoint.Load(checkpointFile, model, optimizer, generator);
    }

    /// <summary>
    /// Trains until the configured number of epochs and returns the history.
    /// When <paramref name="cancellation"/> fires, the current batch finishes,
    /// a checkpoint is written (if there is a checkpoint file) and
    /// <see cref="OperationCanceledException"/> is thrown.
    /// </summary>
    public TrainingHistory Fit(Tensor trainImages, Tensor validationImages, CancellationToken cancellation = default)
    {
        var progress = Progress ?? TrainingProgress.ForConsole(configuration.Verbosity, configuration.Epochs);
        using var validationInputs = DegradeOnce(validationImages, configuration.Seed + 1);
        var writer = TensorBoardDirectory is null ? null : torch.utils.tensorboard.SummaryWriter(TensorBoardDirectory);

        var count = trainImages.shape[0];
        var batchSize = configuration.BatchSize;
        var batches = (int)((count + batchSize - 1) / batchSize);
        while (position.Epoch <= configuration.Epochs)
        {
            var epoch = position.Epoch;
            var clock = Stopwatch.StartNew();
            var (lossSum, mseSum) = (position.LossSum, position.MseSum);
            using var order = resumedOrder ?? randperm(count, generator: generator);
            resumedOrder = null;
            if (order.shape[0] != count)
                throw new InvalidOperationException($"The checkpoint was made with {order.shape[0]} training images, not {count}.");
            model.train();
            for (var batch = position.NextBatch; batch < batches; batch++)
            {
                using (var scope = NewDisposeScope())
                {
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
                    progress.Batch(epoch, batch + 1, batches, lossSum / (start + length), start + length - (long)position.NextBatch * batchSize, clock.Elapsed);
                }
                TorchRuntime.ReleaseUndisposedScalars();
                if (cancellation.IsCancellationRequested && batch + 1 < batches)
                {
                    position = new TrainingPosition(epoch, batch + 1, lossSum, mseSum, position.Seconds + clock.Elapsed.TotalSeconds);
                    SaveCheckpoint(order);
                    cancellation.ThrowIfCancellationRequested();
                }
            }

            var (validationLoss, validationMse) = Losses.Evaluate(model, validationInputs, validationImages);
            var record = new EpochRecord(epoch, lossSum / count, validationLoss, mseSum / count, validationMse,
                position.Seconds + clock.Elapsed.TotalSeconds);
            History.Epochs.Add(record);
            writer?.add_scalar("loss/train", (float)record.TrainLoss, epoch);
            writer?.add_scalar("loss/validation", (float)record.ValidationLoss, epoch);
            progress.Epoch(record, batches, (int)count);
            position = TrainingPosition.Start with { Epoch = epoch + 1 };
            SaveCheckpoint(null);
            EpochCompleted?.Invoke(History);
            cancellation.ThrowIfCancellationRequested();
        }
        return History;
    }

    private void SaveCheckpoint(Tensor? order)
    {
        if (CheckpointFile is not null)
            Checkpoint.Save(CheckpointFile, model, optimizer, generator, History, position, order);
    }

    /// <summary>The validation inputs: the test images degraded once, with their own seed, as the presentation's x_test_noisy.</summary>
    private Tensor DegradeOnce(Tensor images, long seed) =>
        degradation is null ? images.alias() : Evaluation.Evaluator.Degrade(images, degradation, seed);

    public void Dispose()
    {
        optimizer.Dispose();
        generator.Dispose();
        resumedOrder?.Dispose();
    }
}
